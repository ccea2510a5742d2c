using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>Width-generic fp32 lane operations: the fp32 families (GEMM, GEMV, activations) are written once
/// against this and instantiated per target: <see cref="ScalarIsa"/> (1 lane), <see cref="PortableIsa"/>,
/// <see cref="AdvSimdIsa"/> and <see cref="AdvSimdModelIsa"/> (4 lanes), <see cref="Avx2Isa"/> (8 lanes),
/// <see cref="Avx512Isa"/> (16 lanes). <typeparamref name="TV"/> is the register type.</summary>
public unsafe interface IFloatIsa<TV> where TV : struct
{
    static abstract bool IsSupported { get; }
    static abstract string Name { get; }
    static abstract int Lanes { get; }
    static abstract TV Zero { get; }
    static abstract TV Load(float* p);
    static abstract void Store(float* p, TV v);
    static abstract TV Broadcast(float x);
    /// <summary>acc + a·b, one rounding (FMLA / VFMADD231PS).</summary>
    static abstract TV Fma(TV acc, TV a, TV b);
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    static abstract TV Div(TV a, TV b);
    static abstract TV Min(TV a, TV b);
    static abstract TV Max(TV a, TV b);
    static abstract TV Abs(TV a);
    /// <summary>All-ones lanes where a &lt; b.</summary>
    static abstract TV LessThan(TV a, TV b);
    /// <summary>mask ? a : b, per lane (mask lanes all ones or all zeros).</summary>
    static abstract TV Select(TV mask, TV a, TV b);
    /// <summary>Round to nearest, ties to even.</summary>
    static abstract TV Round(TV a);
    /// <summary>2^n for integral n in [-126, 127] (built in the exponent field).</summary>
    static abstract TV Pow2(TV n);
    /// <summary>The sign bit of s on the magnitude of m.</summary>
    static abstract TV CopySign(TV m, TV s);
    static abstract float Sum(TV v);
    static abstract float MaxAcross(TV v);
}
