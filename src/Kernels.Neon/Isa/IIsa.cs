using System.Diagnostics.CodeAnalysis;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>The NEON-shaped 128-bit instruction surface that the generic AdvSimd kernels are written
/// against (one kernel, several targets). Every member is one A64 instruction (named in its doc), so the
/// same kernel runs on hardware (<see cref="AdvSimdIsa"/>, <see cref="AdvSimdDpIsa"/>), on the
/// software model (<see cref="AdvSimdModelIsa"/>, <see cref="AdvSimdDpModelIsa"/>) and on portable
/// <c>Vector128</c> code (<see cref="PortableIsa"/>). Implementations are structs so the JIT/ILC
/// specializes and inlines each instantiation. Lane i is memory element i (LD1/ST1 order).</summary>
public interface IIsa
{
    /// <summary>True when this implementation can run on the current machine.</summary>
    static abstract bool IsSupported { get; }
    /// <summary>Path name used by selftest and bench (e.g. "advsimd-dp", "neon-model").</summary>
    static abstract string Name { get; }
    /// <summary>True when <see cref="Sdot"/> is a real instruction (ARMv8.2 dotprod); kernels then
    /// take the SDOT path, otherwise the SMULL/SMLAL2/SADALP path.</summary>
    static abstract bool HasDot { get; }

    /// <summary>FMLA Vd.4S, Vn.4S, Vm.4S: acc + a*b with a single rounding.</summary>
    static abstract Vector128<float> Fmla(Vector128<float> acc, Vector128<float> a, Vector128<float> b);
    /// <summary>FMLA Vd.4S, Vn.4S, Vm.S[lane]: acc + a*b[lane], fused.</summary>
    static abstract Vector128<float> FmlaLane(Vector128<float> acc, Vector128<float> a, Vector128<float> b, [ConstantExpected(Max = (byte)3)] byte lane);
    /// <summary>FADDP v.4S then FADDP s.2S: (a0+a1)+(a2+a3).</summary>
    static abstract float Faddv(Vector128<float> v);

    /// <summary>SDOT Vd.4S, Vn.16B, Vm.16B: acc[i] + Σ_{j&lt;4} a[4i+j]·b[4i+j] (wraps mod 2^32).</summary>
    static abstract Vector128<int> Sdot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b);
    /// <summary>SMULL Vd.8H, Vn.8B, Vm.8B: exact int8×int8 → int16 products of the low halves.</summary>
    static abstract Vector128<short> Smull(Vector128<sbyte> a, Vector128<sbyte> b);
    /// <summary>SMULL2 Vd.8H, Vn.16B, Vm.16B: products of the upper halves.</summary>
    static abstract Vector128<short> Smull2(Vector128<sbyte> a, Vector128<sbyte> b);
    /// <summary>SMLAL2 Vd.8H, Vn.16B, Vm.16B: acc + products of the upper halves (wraps mod 2^16).</summary>
    static abstract Vector128<short> Smlal2(Vector128<short> acc, Vector128<sbyte> a, Vector128<sbyte> b);
    /// <summary>SADALP Vd.4S, Vn.8H: acc[i] + v[2i] + v[2i+1], widened to int32.</summary>
    static abstract Vector128<int> Sadalp(Vector128<int> acc, Vector128<short> v);
    /// <summary>ADDP Vd.4S: [a0+a1, a2+a3, b0+b1, b2+b3].</summary>
    static abstract Vector128<int> Addp(Vector128<int> a, Vector128<int> b);
    /// <summary>ADDV Sd, Vn.4S: sum of the four lanes (wraps).</summary>
    static abstract int Addv(Vector128<int> v);

    /// <summary>SQRDMULH Vd.4S: saturate((2·a·b + 2^31) >> 32).</summary>
    static abstract Vector128<int> Sqrdmulh(Vector128<int> a, Vector128<int> b);
    /// <summary>SSHL Vd.4S: shift by the signed low byte of each count lane (negative = arithmetic right).</summary>
    static abstract Vector128<int> Sshl(Vector128<int> a, Vector128<int> count);
    /// <summary>SRSHL Vd.4S: like SSHL, but right shifts round half up ((a + 2^(n-1)) >> n, exact).</summary>
    static abstract Vector128<int> Srshl(Vector128<int> a, Vector128<int> count);
    /// <summary>SQADD Vd.4S: saturating add.</summary>
    static abstract Vector128<int> Sqadd(Vector128<int> a, Vector128<int> b);
    /// <summary>AND Vd.16B.</summary>
    static abstract Vector128<int> And(Vector128<int> a, Vector128<int> b);
    /// <summary>SSHR Vd.4S, #31: the sign mask of each lane.</summary>
    static abstract Vector128<int> SignMask(Vector128<int> a);
    /// <summary>SMULL Vd.2D, Vn.2S, Vm.2S: exact int32×int32 → int64 of lanes 0,1.</summary>
    static abstract Vector128<long> SmullS32(Vector128<int> a, Vector128<int> b);
    /// <summary>SMULL2 Vd.2D, Vn.4S, Vm.4S: exact products of lanes 2,3.</summary>
    static abstract Vector128<long> Smull2S32(Vector128<int> a, Vector128<int> b);
    /// <summary>SRSHL Vd.2D: rounding shift of int64 lanes by the signed low byte of count.</summary>
    static abstract Vector128<long> Srshl64(Vector128<long> a, Vector128<long> count);
    /// <summary>SQXTN Vd.2S, Vn.2D then SQXTN2 Vd.4S, Vn.2D: saturating narrow of two int64 pairs.</summary>
    static abstract Vector128<int> Sqxtn64(Vector128<long> lo, Vector128<long> hi);
    /// <summary>SQXTN Vd.4H + SQXTN2 Vd.8H: saturating narrow of eight int32 lanes to int16.</summary>
    static abstract Vector128<short> Sqxtn32(Vector128<int> lo, Vector128<int> hi);
    /// <summary>SQXTN Vd.8B + SQXTN2 Vd.16B: saturating narrow of sixteen int16 lanes to int8.</summary>
    static abstract Vector128<sbyte> Sqxtn16(Vector128<short> lo, Vector128<short> hi);
    /// <summary>ADD Vd.4S (wraps).</summary>
    static abstract Vector128<int> Add(Vector128<int> a, Vector128<int> b);
    /// <summary>SMAX Vd.16B.</summary>
    static abstract Vector128<sbyte> Smax(Vector128<sbyte> a, Vector128<sbyte> b);
    /// <summary>SMIN Vd.16B.</summary>
    static abstract Vector128<sbyte> Smin(Vector128<sbyte> a, Vector128<sbyte> b);
    /// <summary>TBL Vd.16B, {Vn.16B}, Vm.16B: table[idx] for idx &lt; 16, else 0.</summary>
    static abstract Vector128<byte> Tbl(Vector128<byte> table, Vector128<byte> idx);
}
