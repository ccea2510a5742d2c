using System.Text.Json;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;
using EdgeRuntime.Tests.Planning;

namespace EdgeRuntime.Tests.Cli;

/// <summary>The command line end to end, through a real process: clear messages and exit codes, never a stack trace.</summary>
public class CliErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecli").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void NoStackTrace(string err) => Assert.DoesNotContain("   at ", err);

    [Fact]
    public void UnknownCommandListsTheCommands()
    {
        var (code, _, err) = CliProcess.Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", err);
        Assert.Contains("info", err);
        NoStackTrace(err);
    }

    [Fact]
    public void MissingModelIsNamed()
    {
        string path = Path.Combine(_dir, "nope.onnx");
        var (code, _, err) = CliProcess.Run("info", path);
        Assert.Equal(1, code);
        Assert.Contains($"{path}: file not found", err);
        NoStackTrace(err);
    }

    [Fact]
    public void CorruptPlanAndUnknownFormatAreNamed()
    {
        string bad = Path.Combine(_dir, "bad.edge");
        File.WriteAllBytes(bad, "EDGEPLAN-this-is-not-a-plan-at-all-but-is-long-enough-for-a-header"u8.ToArray());
        var (code, _, err) = CliProcess.Run("info", bad);
        Assert.Equal(1, code);
        Assert.Contains(bad, err);
        Assert.Contains("plan", err);
        NoStackTrace(err);

        string odd = Path.Combine(_dir, "model.xyz");
        File.WriteAllText(odd, "garbage");
        (code, _, err) = CliProcess.Run("compile", odd, "-o", Path.Combine(_dir, "o.edge"));
        Assert.Equal(1, code);
        Assert.Contains("unknown model format '.xyz'", err);
        NoStackTrace(err);
    }

    [Fact]
    public void CompileUsageErrorsAndQuantizeNotAvailable()
    {
        var (code, _, err) = CliProcess.Run("compile", "m.onnx");
        Assert.Equal(2, code);
        Assert.Contains("-o PLAN.edge", err);
        (code, _, err) = CliProcess.Run("info", "m.onnx", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("--bogus", err);
    }

    [Fact]
    public void InfoJsonOnAPlanReportsSizes()
    {
        var plan = Compiler.Compile(PlanFileTests.SampleGraph());
        string path = Path.Combine(_dir, "s.edge");
        PlanWriter.Write(plan, path, []);
        var (code, stdout, err) = CliProcess.Run("info", path, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(plan.ArenaBytes, r.GetProperty("arena_bytes").GetInt64());
        Assert.Equal(plan.ArenaLowerBoundBytes, r.GetProperty("arena_lower_bound_bytes").GetInt64());
        Assert.Equal(plan.WeightsBytes, r.GetProperty("weights_bytes").GetInt64());
        foreach (var key in new[] { "macs", "params", "scratch_bytes", "persistent_bytes" }) Assert.True(r.TryGetProperty(key, out _), key);
        Assert.Equal(plan.Graph.Nodes.Count, r.GetProperty("operators").GetArrayLength());
        Assert.Equal("CopyKernel", r.GetProperty("operators")[0].GetProperty("kernel").GetString());

        (code, stdout, err) = CliProcess.Run("info", path);
        Assert.True(code == 0, err);
        Assert.Contains("lower bound", stdout);
        Assert.Contains("arena", stdout);
    }
}

public class CliCorruptModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecli2").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CorruptOnnxModelIsNamedWithoutAStackTrace()
    {
        string path = Path.Combine(_dir, "broken.onnx");
        File.WriteAllBytes(path, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        foreach (var cmd in new[] { "info", "compile" })
        {
            var (code, _, err) = cmd == "info" ? CliProcess.Run("info", path) : CliProcess.Run("compile", path, "-o", Path.Combine(_dir, "x.edge"));
            Assert.Equal(1, code);
            Assert.Contains(path, err);
            Assert.DoesNotContain("   at ", err);
        }
        Assert.False(File.Exists(Path.Combine(_dir, "x.edge")));
    }
}
