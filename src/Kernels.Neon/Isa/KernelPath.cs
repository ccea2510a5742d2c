namespace EdgeRuntime.Kernels.Isa;

/// <summary>The implementation paths a kernel family can run on. Families take a path explicitly
/// (selftest, bench, tests) or pick <see cref="KernelPaths.BestF32"/> / <see cref="KernelPaths.BestInt8"/>.</summary>
public enum KernelPath
{
    /// <summary>Scalar code (fp32: the generic kernel on <see cref="ScalarIsa"/>; int8: the reference).</summary>
    Scalar,
    /// <summary>Cross-platform Vector128 (<see cref="PortableIsa"/>).</summary>
    Portable,
    /// <summary>ARMv8.0 NEON hardware (<see cref="AdvSimdIsa"/>).</summary>
    AdvSimd,
    /// <summary>ARMv8.2 NEON with dotprod (<see cref="AdvSimdDpIsa"/>).</summary>
    AdvSimdDp,
    /// <summary>ARMv8.0 NEON kernels on the software model (<see cref="AdvSimdModelIsa"/>).</summary>
    NeonModel,
    /// <summary>ARMv8.2 dotprod NEON kernels on the software model (<see cref="AdvSimdDpModelIsa"/>).</summary>
    NeonDpModel,
    /// <summary>x86 AVX2 + FMA (<see cref="Avx2Isa"/>).</summary>
    Avx2,
    /// <summary>x86 AVX-512 F/BW (<see cref="Avx512Isa"/>).</summary>
    Avx512,
    /// <summary>x86 AVX-VNNI int8 (<see cref="AvxVnniIsa"/>); fp32 families do not have this path.</summary>
    AvxVnni,
}
