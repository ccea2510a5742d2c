using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.SelfTest;

namespace EdgeRuntime.Kernels.Tests.SelfTest;

public class KernelSelfTestTests
{
    [Fact]
    public void EveryAvailablePathPassesAndIsListed()
    {
        var results = KernelSelfTest.RunAll(includeModels: true);
        foreach (var r in results) Assert.True(r.Passed, $"{r.Kernel} {r.Path}: {r.Detail} ({r.MaxError})");
        foreach (var p in KernelPaths.Int8Paths.Where(KernelPaths.IsSupported))
            Assert.Contains(results, r => r.Kernel == "int8-gemm" && r.Path == KernelPaths.Name(p));
        foreach (var p in KernelPaths.F32Paths.Where(KernelPaths.IsSupported))
        {
            Assert.Contains(results, r => r.Kernel == "gemm-f32" && r.Path == KernelPaths.Name(p));
            foreach (var k in new[] { "gru-cell", "lstm-cell", "frame-dense" })
                Assert.Contains(results, r => r.Kernel == k && r.Path == KernelPaths.Name(p));
        }
        Assert.Contains(results, r => r.Path == "neon-dp-model");
    }
}
