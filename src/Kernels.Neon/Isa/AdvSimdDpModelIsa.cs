using System.Diagnostics.CodeAnalysis;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>The ARMv8.2 dotprod NEON kernels (SDOT int8 path) on the software model <see cref="NeonModel"/>.</summary>
public readonly unsafe struct AdvSimdDpModelIsa : IIsa, IFloatIsa<Vector128<float>>
{
    public static bool IsSupported => true;
    public static string Name => "neon-dp-model";
    public static bool HasDot => true;
    public static int Lanes => 4;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    public static Vector128<float> Load(float* p) => Vector128.Load(p);
    public static void Store(float* p, Vector128<float> v) => v.Store(p);
    public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    public static Vector128<float> Fma(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => NeonModel.Fmla(acc, a, b);
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => NeonModel.Fadd(a, b);
    public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => NeonModel.Fsub(a, b);
    public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => NeonModel.Fmul(a, b);
    public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => NeonModel.Fdiv(a, b);
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => NeonModel.Fmin(a, b);
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => NeonModel.Fmax(a, b);
    public static Vector128<float> Abs(Vector128<float> a) => NeonModel.Fabs(a);
    public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => PortableIsa.LessThan(a, b);
    public static Vector128<float> Select(Vector128<float> m, Vector128<float> a, Vector128<float> b) => PortableIsa.Select(m, a, b);
    public static Vector128<float> Round(Vector128<float> a) => PortableIsa.Round(a);
    public static Vector128<float> Pow2(Vector128<float> n) => PortableIsa.Pow2(n);
    public static Vector128<float> CopySign(Vector128<float> m, Vector128<float> s) => PortableIsa.CopySign(m, s);
    public static float Sum(Vector128<float> v) => NeonModel.Faddv(v);
    public static float MaxAcross(Vector128<float> v) => MathF.Max(MathF.Max(v[0], v[1]), MathF.Max(v[2], v[3]));
    public static Vector128<float> Fmla(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => NeonModel.Fmla(acc, a, b);
    public static float Faddv(Vector128<float> v) => NeonModel.Faddv(v);
    public static Vector128<int> Sdot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b) => NeonModel.Sdot(acc, a, b);
    public static Vector128<short> Smull(Vector128<sbyte> a, Vector128<sbyte> b) => NeonModel.Smull(a, b, 0);
    public static Vector128<short> Smull2(Vector128<sbyte> a, Vector128<sbyte> b) => NeonModel.Smull(a, b, 1);
    public static Vector128<short> Smlal2(Vector128<short> acc, Vector128<sbyte> a, Vector128<sbyte> b) => NeonModel.Smlal(acc, a, b, 1);
    public static Vector128<int> Sadalp(Vector128<int> acc, Vector128<short> v) => NeonModel.Sadalp(acc, v);
    public static Vector128<int> Addp(Vector128<int> a, Vector128<int> b) => NeonModel.Addp(a, b);
    public static int Addv(Vector128<int> v) => NeonModel.Addv(v);
    public static Vector128<int> Sqrdmulh(Vector128<int> a, Vector128<int> b) => NeonModel.Sqrdmulh(a, b);
    public static Vector128<int> Sshl(Vector128<int> a, Vector128<int> c) => NeonModel.Sshl(a, c);
    public static Vector128<int> Srshl(Vector128<int> a, Vector128<int> c) => NeonModel.Srshl(a, c);
    public static Vector128<int> Sqadd(Vector128<int> a, Vector128<int> b) => NeonModel.Sqadd(a, b);
    public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => NeonModel.And(a, b);
    public static Vector128<int> SignMask(Vector128<int> a) => NeonModel.Sshr(a, 31);
    public static Vector128<long> SmullS32(Vector128<int> a, Vector128<int> b) => NeonModel.Smull(a, b, 0);
    public static Vector128<long> Smull2S32(Vector128<int> a, Vector128<int> b) => NeonModel.Smull(a, b, 1);
    public static Vector128<long> Srshl64(Vector128<long> a, Vector128<long> c) => NeonModel.Srshl(a, c);
    public static Vector128<int> Sqxtn64(Vector128<long> lo, Vector128<long> hi) => NeonModel.Sqxtn(lo, hi);
    public static Vector128<short> Sqxtn32(Vector128<int> lo, Vector128<int> hi) => NeonModel.Sqxtn(lo, hi);
    public static Vector128<sbyte> Sqxtn16(Vector128<short> lo, Vector128<short> hi) => NeonModel.Sqxtn(lo, hi);
    public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => NeonModel.Add(a, b);
    public static Vector128<sbyte> Smax(Vector128<sbyte> a, Vector128<sbyte> b) => NeonModel.Smax(a, b);
    public static Vector128<sbyte> Smin(Vector128<sbyte> a, Vector128<sbyte> b) => NeonModel.Smin(a, b);
    public static Vector128<byte> Tbl(Vector128<byte> t, Vector128<byte> i) => NeonModel.Tbl(t, i);
    public static Vector128<float> FmlaLane(Vector128<float> acc, Vector128<float> a, Vector128<float> b, [ConstantExpected(Max = (byte)3)] byte lane) => NeonModel.FmlaLane(acc, a, b, lane);
}
