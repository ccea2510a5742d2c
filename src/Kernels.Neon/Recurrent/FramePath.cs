using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>Path and lane choice shared by the per-frame kernels (<see cref="GruCell"/>, <see cref="LstmCell"/>,
/// <see cref="FrameDense"/>): each output vector holds <c>Lanes</c> consecutive outputs, padded with zero weights
/// up to a multiple of the lane count. On AVX-512 a layer with at most 8 outputs runs on AVX2 instead (half the
/// lanes of a 16-wide vector would be padding); every other path keeps its width.</summary>
internal static class FramePath
{
    /// <summary>The path to run <paramref name="width"/> outputs per frame on, given the requested one.</summary>
    public static KernelPath Choose(KernelPath requested, int width)
    {
        if (!KernelPaths.IsSupported(requested))
            throw new PlatformNotSupportedException($"fp32 path {KernelPaths.Name(requested)} is not supported on this machine");
        if (requested == KernelPath.Avx512 && width <= 8 && Avx2Isa.IsSupported) return KernelPath.Avx2;
        return requested is KernelPath.AdvSimdDp ? KernelPath.AdvSimd : requested is KernelPath.NeonDpModel ? KernelPath.NeonModel : requested;
    }

    public static int Lanes(KernelPath path) => path switch
    {
        KernelPath.Avx512 => 16,
        KernelPath.Avx2 => 8,
        KernelPath.Scalar => 1,
        _ => 4,
    };

    public static int RoundUp(int n, int lanes) => (n + lanes - 1) / lanes * lanes;

    /// <summary>A pinned array with room for <paramref name="floats"/> floats from a 64-byte boundary (one cache line:
    /// a 64-byte vector load from a misaligned panel would touch two lines); <paramref name="aligned"/> points there.</summary>
    public static unsafe float[] Pinned(long floats, out float* aligned)
    {
        var a = GC.AllocateArray<float>(checked((int)Math.Max(floats, 1) + 16), pinned: true);
        nuint p = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));
        aligned = (float*)((p + 63) & ~(nuint)63);
        return a;
    }
}
