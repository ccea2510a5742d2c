using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>ARMv8.2-A hardware target with dotprod (Pi 5): <see cref="AdvSimdIsa"/> plus SDOT (<c>Dp.DotProduct</c>);
/// int8 kernels take the SDOT path. Chosen at run time by <c>Dp.IsSupported</c>.</summary>
public readonly unsafe struct AdvSimdDpIsa : IIsa, IFloatIsa<Vector128<float>>
{
    public static bool IsSupported => AdvSimd.Arm64.IsSupported && Dp.IsSupported;
    public static string Name => "advsimd-dp";
    public static bool HasDot => true;
    public static int Lanes => 4;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => AdvSimdIsa.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => AdvSimdIsa.Store(p, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => AdvSimdIsa.Broadcast(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Fma(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Sub(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Mul(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Div(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> a) => AdvSimdIsa.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => AdvSimdIsa.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> m, Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Select(m, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> a) => AdvSimdIsa.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Pow2(Vector128<float> n) => AdvSimdIsa.Pow2(n);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> CopySign(Vector128<float> m, Vector128<float> s) => AdvSimdIsa.CopySign(m, s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => AdvSimdIsa.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector128<float> v) => AdvSimdIsa.MaxAcross(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fmla(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => AdvSimdIsa.Fmla(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Faddv(Vector128<float> v) => AdvSimdIsa.Faddv(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sdot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b) => Dp.DotProduct(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Smull(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimdIsa.Smull(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Smull2(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimdIsa.Smull2(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Smlal2(Vector128<short> acc, Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimdIsa.Smlal2(acc, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sadalp(Vector128<int> acc, Vector128<short> v) => AdvSimdIsa.Sadalp(acc, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Addp(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.Addp(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int Addv(Vector128<int> v) => AdvSimdIsa.Addv(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sqrdmulh(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.Sqrdmulh(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sshl(Vector128<int> a, Vector128<int> c) => AdvSimdIsa.Sshl(a, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Srshl(Vector128<int> a, Vector128<int> c) => AdvSimdIsa.Srshl(a, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sqadd(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.Sqadd(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.And(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> SignMask(Vector128<int> a) => AdvSimdIsa.SignMask(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<long> SmullS32(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.SmullS32(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<long> Smull2S32(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.Smull2S32(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<long> Srshl64(Vector128<long> a, Vector128<long> c) => AdvSimdIsa.Srshl64(a, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Sqxtn64(Vector128<long> lo, Vector128<long> hi) => AdvSimdIsa.Sqxtn64(lo, hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<short> Sqxtn32(Vector128<int> lo, Vector128<int> hi) => AdvSimdIsa.Sqxtn32(lo, hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Sqxtn16(Vector128<short> lo, Vector128<short> hi) => AdvSimdIsa.Sqxtn16(lo, hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => AdvSimdIsa.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Smax(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimdIsa.Smax(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Smin(Vector128<sbyte> a, Vector128<sbyte> b) => AdvSimdIsa.Smin(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<byte> Tbl(Vector128<byte> t, Vector128<byte> i) => AdvSimdIsa.Tbl(t, i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> FmlaLane(Vector128<float> acc, Vector128<float> a, Vector128<float> b, [ConstantExpected(Max = (byte)3)] byte lane) => AdvSimdIsa.FmlaLane(acc, a, b, lane);
}
