using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeRuntime.Kernels.Isa;
using Xunit.Abstractions;

namespace EdgeRuntime.Kernels.Tests.Isa;

/// <summary>test.sh re-runs this project with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and
/// DOTNET_EnableHWIntrinsic=0; these tests assert that the knob really took effect and dispatch changed.</summary>
public class DispatchTests(ITestOutputHelper output)
{
    private static bool Off(string knob) => Environment.GetEnvironmentVariable("DOTNET_" + knob) == "0";

    [Fact]
    public void KnobsChangeDispatch()
    {
        output.WriteLine($"f32 -> {KernelPaths.Name(KernelPaths.BestF32)}, int8 -> {KernelPaths.Name(KernelPaths.BestInt8)}");
        Assert.True(KernelPaths.IsSupported(KernelPaths.BestF32));
        Assert.True(KernelPaths.IsSupported(KernelPaths.BestInt8));
        Assert.False(KernelPaths.IsModel(KernelPaths.BestF32));
        if (Off("EnableHWIntrinsic"))
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.False(PortableIsa.IsSupported);
            Assert.Equal(KernelPath.Scalar, KernelPaths.BestF32);
            Assert.Equal(KernelPath.Scalar, KernelPaths.BestInt8);
        }
        if (Off("EnableAVX2"))
        {
            Assert.False(Avx2.IsSupported);
            Assert.False(Avx2Isa.IsSupported);
            Assert.NotEqual(KernelPath.Avx2, KernelPaths.BestF32);
            Assert.NotEqual(KernelPath.Avx2, KernelPaths.BestInt8);
        }
        if (Off("EnableAVX512"))
        {
            Assert.False(Avx512Isa.IsSupported);
            Assert.NotEqual(KernelPath.Avx512, KernelPaths.BestF32);
        }
        if (Avx512Isa.IsSupported) Assert.Equal(KernelPath.Avx512, KernelPaths.BestF32);
        else if (Avx2Isa.IsSupported) Assert.Equal(KernelPath.Avx2, KernelPaths.BestF32);
    }

    [Fact]
    public void ModelPathsAlwaysRunAndHardwareNeonOnlyOnArm()
    {
        Assert.True(KernelPaths.IsSupported(KernelPath.NeonModel));
        Assert.True(KernelPaths.IsSupported(KernelPath.NeonDpModel));
        Assert.Equal(System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported, KernelPaths.IsSupported(KernelPath.AdvSimd));
        Assert.Equal(System.Runtime.Intrinsics.Arm.Dp.IsSupported && System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported, KernelPaths.IsSupported(KernelPath.AdvSimdDp));
    }
}
