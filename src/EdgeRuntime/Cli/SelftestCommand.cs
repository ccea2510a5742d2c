using System.Text.Json;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.SelfTest;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert selftest [--json]</c>: every kernel path available on this machine (plus the NEON
/// model paths) against the scalar reference, one line per family and path; exit 1 on any mismatch.</summary>
public sealed class SelftestCommand : ICommand
{
    public string Name => "selftest";
    public string Summary => "check every kernel path on this machine against its scalar reference";
    public string Usage => "usage: edgert selftest [--json]\n  int8 kernels must be bit-exact, fp32 within their stated bounds; exits 1 on any mismatch";

    public int Run(Args args)
    {
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        var results = KernelSelfTest.RunAll(includeModels: true);
        if (json) Console.WriteLine(JsonSerializer.Serialize(results, KernelJsonContext.Default.ListSelfTestResult));
        else
        {
            Console.WriteLine($"kernel paths: f32 -> {KernelPaths.Name(KernelPaths.BestF32)}, int8 -> {KernelPaths.Name(KernelPaths.BestInt8)}");
            foreach (var r in results)
                Console.WriteLine($"{(r.Passed ? "PASS" : "FAIL"),-4} {r.Kernel,-16} {r.Path,-13} {r.Cases,3} cases  {r.Criterion}; max_error {r.MaxError:G3}{(r.Passed ? "" : " at " + r.Detail)}");
            Console.WriteLine($"{results.Count(r => r.Passed)}/{results.Count} passed");
        }
        return results.All(r => r.Passed) ? 0 : 1;
    }
}
