using System.Runtime.CompilerServices;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>Which <see cref="KernelPath"/>s run on this machine, and the one each family dispatches to.</summary>
public static class KernelPaths
{
    /// <summary>True when <paramref name="path"/> can run here (model paths always can).</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Scalar => true,
        KernelPath.Portable => PortableIsa.IsSupported,
        KernelPath.AdvSimd => AdvSimdIsa.IsSupported,
        KernelPath.AdvSimdDp => AdvSimdDpIsa.IsSupported,
        KernelPath.NeonModel => true,
        KernelPath.NeonDpModel => true,
        KernelPath.Avx2 => Avx2Isa.IsSupported,
        KernelPath.Avx512 => Avx512Isa.IsSupported,
        KernelPath.AvxVnni => AvxVnniIsa.IsSupported,
        _ => false,
    };

    /// <summary>Short name of a path ("avx2", "advsimd-dp", "neon-model", ...).</summary>
    public static string Name(KernelPath path) => path switch
    {
        KernelPath.Scalar => ScalarIsa.Name,
        KernelPath.Portable => PortableIsa.Name,
        KernelPath.AdvSimd => AdvSimdIsa.Name,
        KernelPath.AdvSimdDp => AdvSimdDpIsa.Name,
        KernelPath.NeonModel => AdvSimdModelIsa.Name,
        KernelPath.NeonDpModel => AdvSimdDpModelIsa.Name,
        KernelPath.Avx2 => Avx2Isa.Name,
        KernelPath.Avx512 => Avx512Isa.Name,
        KernelPath.AvxVnni => AvxVnniIsa.Name,
        _ => path.ToString(),
    };

    /// <summary>True for the software-model paths (slow; correctness only).</summary>
    public static bool IsModel(KernelPath path) => path is KernelPath.NeonModel or KernelPath.NeonDpModel;

    /// <summary>Paths of the fp32 families (GEMM, GEMV, activations, conv).</summary>
    public static readonly KernelPath[] F32Paths =
        [KernelPath.Scalar, KernelPath.Portable, KernelPath.AdvSimd, KernelPath.NeonModel, KernelPath.Avx2, KernelPath.Avx512];
    /// <summary>Paths of the int8 families (GEMM/GEMV, requantization).</summary>
    public static readonly KernelPath[] Int8Paths =
        [KernelPath.Scalar, KernelPath.Portable, KernelPath.AdvSimd, KernelPath.AdvSimdDp, KernelPath.NeonModel, KernelPath.NeonDpModel,
         KernelPath.Avx2, KernelPath.Avx512, KernelPath.AvxVnni];

    /// <summary>Widest accelerated fp32 path on this machine (never a model path). Computed from the ISA checks,
    /// which the JIT folds to a constant, so dispatch on it costs nothing (a static readonly field would be
    /// folded only when its class happened to be initialized before the caller was compiled).</summary>
    public static KernelPath BestF32
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512Isa.IsSupported ? KernelPath.Avx512 :
            Avx2Isa.IsSupported ? KernelPath.Avx2 :
            AdvSimdIsa.IsSupported ? KernelPath.AdvSimd :
            PortableIsa.IsSupported ? KernelPath.Portable : KernelPath.Scalar;
    }

    /// <summary>Fastest int8 path: SDOT when <c>Dp.IsSupported</c> (a run-time check, also under NativeAOT),
    /// else SMULL/SMLAL on ARMv8.0; VNNI, AVX-512, AVX2 on x86.</summary>
    public static KernelPath BestInt8 { get; } =
        AdvSimdDpIsa.IsSupported ? KernelPath.AdvSimdDp :
        AdvSimdIsa.IsSupported ? KernelPath.AdvSimd :
        AvxVnniIsa.IsSupported ? KernelPath.AvxVnni :
        Avx512Isa.IsSupported ? KernelPath.Avx512 :
        Avx2Isa.IsSupported ? KernelPath.Avx2 :
        PortableIsa.IsSupported ? KernelPath.Portable : KernelPath.Scalar;

    /// <summary>Paths of <paramref name="family"/> that can run here, models included.</summary>
    public static IEnumerable<KernelPath> Available(IEnumerable<KernelPath> family) => family.Where(IsSupported);
}
