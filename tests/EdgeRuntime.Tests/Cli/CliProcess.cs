using System.Diagnostics;

namespace EdgeRuntime.Tests.Cli;

/// <summary>Runs the built <c>edgert.dll</c> (copied next to the tests) in a child process.</summary>
public static class CliProcess
{
    public static string EdgertDll => Path.Combine(AppContext.BaseDirectory, "edgert.dll");

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(EdgertDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgert {string.Join(" ", args)} did not finish in 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
