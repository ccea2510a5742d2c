using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>ARMv8.0-A hardware target (Pi 3/4): every <see cref="IIsa"/> member forwards to one
/// <c>System.Runtime.Intrinsics.Arm</c> instruction. No dot product: int8 kernels use SMULL/SMLAL2/SADALP.
/// Compiles everywhere; <see cref="IsSupported"/> is false off ARM64.</summary>
public readonly unsafe struct AdvSimdIsa : IIsa, IFloatIsa<Vector128<float>>
{
    public static bool IsSupported => AdvSimd.Arm64.IsSupported;
    public static string Name => "advsimd";
    public static bool HasDot => false;
    public static int Lanes => 4;

    // ---- IFloatIsa (plain Vector128 ops lower to NEON on ARM64; FMA and reductions spelled out) ----
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => AdvSimd.LoadVector128(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => AdvSimd.Store(p, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => AdvSimd.DuplicateToVector128(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => AdvSimd.FusedMultiplyAdd(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => AdvSimd.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => AdvSimd.Subtract(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => AdvSimd.Multiply(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => AdvSimd.Arm64.Divide(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => AdvSimd.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => AdvSimd.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> a) => AdvSimd.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => AdvSimd.CompareLessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> m, Vector128<float> a, Vector128<float> b) => AdvSimd.BitwiseSelect(m, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> a) => AdvSimd.RoundToNearest(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Pow2(Vector128<float> n) => Vector128.ShiftLeft(AdvSimd.ConvertToInt32RoundToZero(n) + Vector128.Create(127), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> m, Vector128<float> s) => AdvSimd.BitwiseSelect(Vector128.Create(int.MinValue).AsSingle(), s, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Faddv(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector128<float> v) => AdvSimd.Arm64.MaxAcross(v).ToScalar();

    // ---- IIsa ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fmla(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => AdvSimd.FusedMultiplyAdd(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FmlaLane(Vector128<float> acc, Vector128<float> a, Vector128<float> b, [ConstantExpected(Max = (byte)3)] byte lane)
        => AdvSimd.Arm64.FusedMultiplyAddBySelectedScalar(acc, a, b, lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Faddv(Vector128<float> v) => AdvSimd.Arm64.AddPairwiseScalar(AdvSimd.Arm64.AddPairwise(v, v).GetLower()).ToScalar();
    public static Vector128<int> Sdot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b)
        => throw new PlatformNotSupportedException("SDOT needs ARMv8.2 dotprod: use AdvSimdDpIsa");
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Smull(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimd.MultiplyWideningLower(a.GetLower(), b.GetLower());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Smull2(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimd.MultiplyWideningUpper(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Smlal2(Vector128<short> acc, Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimd.MultiplyWideningUpperAndAdd(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sadalp(Vector128<int> acc, Vector128<short> v) => AdvSimd.AddPairwiseWideningAndAdd(acc, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Addp(Vector128<int> a, Vector128<int> b) => AdvSimd.Arm64.AddPairwise(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int Addv(Vector128<int> v) => AdvSimd.Arm64.AddAcross(v).ToScalar();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sqrdmulh(Vector128<int> a, Vector128<int> b) => AdvSimd.MultiplyRoundedDoublingSaturateHigh(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sshl(Vector128<int> a, Vector128<int> c) => AdvSimd.ShiftArithmetic(a, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Srshl(Vector128<int> a, Vector128<int> c) => AdvSimd.ShiftArithmeticRounded(a, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sqadd(Vector128<int> a, Vector128<int> b) => AdvSimd.AddSaturate(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => AdvSimd.And(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> SignMask(Vector128<int> a) => AdvSimd.ShiftRightArithmetic(a, 31);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<long> SmullS32(Vector128<int> a, Vector128<int> b) => AdvSimd.MultiplyWideningLower(a.GetLower(), b.GetLower());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<long> Smull2S32(Vector128<int> a, Vector128<int> b) => AdvSimd.MultiplyWideningUpper(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<long> Srshl64(Vector128<long> a, Vector128<long> c) => AdvSimd.ShiftArithmeticRounded(a, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Sqxtn64(Vector128<long> lo, Vector128<long> hi) => AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(lo), hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Sqxtn32(Vector128<int> lo, Vector128<int> hi) => AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(lo), hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Sqxtn16(Vector128<short> lo, Vector128<short> hi) => AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(lo), hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => AdvSimd.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Smax(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimd.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Smin(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimd.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<byte> Tbl(Vector128<byte> t, Vector128<byte> i) => AdvSimd.Arm64.VectorTableLookup(t, i);
}
