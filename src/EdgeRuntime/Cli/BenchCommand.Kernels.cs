using EdgeRuntime.Bench;

namespace EdgeRuntime.Cli;

public sealed partial class BenchCommand
{
    /// <summary><c>edgert bench kernels</c> → the kernel micro-benchmarks (GOP/s and fraction of peak per path).</summary>
    static partial void RunKernelBench(Args args, ref int? rc) => rc = KernelBench.Run(args);
}
