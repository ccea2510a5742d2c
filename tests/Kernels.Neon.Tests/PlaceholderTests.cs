namespace EdgeRuntime.Kernels.Tests;

public class AssemblyLoadsTests
{
    [Fact]
    public void KernelsAssemblyLoads() => Assert.Equal("EdgeRuntime.Kernels.Neon", typeof(EdgeRuntime.Kernels.KernelsInfo).Assembly.GetName().Name);
}
