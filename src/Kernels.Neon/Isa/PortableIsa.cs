using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>Cross-platform <c>Vector128</c> target. fp32: 4 lanes. NEON-shaped integer ops are built
/// from portable widen/narrow/shuffle operations with the same results as the A64 instruction (variable
/// per-lane shifts, which have no portable form, run lane by lane). No dot product: int8 kernels take the
/// SMULL/SADALP path.</summary>
public readonly unsafe struct PortableIsa : IIsa, IFloatIsa<Vector128<float>>
{
    public static bool IsSupported => Vector128.IsHardwareAccelerated;
    public static string Name => "vector128";
    public static bool HasDot => false;
    public static int Lanes => 4;

    // ---- IFloatIsa ----
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => Vector128.FusedMultiplyAdd(a, b, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Div(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> m, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(m, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> a) => Vector128.Round(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Pow2(Vector128<float> n) => Vector128.ShiftLeft(Vector128.ConvertToInt32(n) + Vector128.Create(127), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> m, Vector128<float> s)
        => Vector128.ConditionalSelect(Vector128.Create(int.MinValue).AsSingle(), s, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => (v[0] + v[1]) + (v[2] + v[3]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector128<float> v) => MathF.Max(MathF.Max(v[0], v[1]), MathF.Max(v[2], v[3]));

    // ---- IIsa ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fmla(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => Vector128.FusedMultiplyAdd(a, b, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FmlaLane(Vector128<float> acc, Vector128<float> a, Vector128<float> b, [ConstantExpected(Max = (byte)3)] byte lane)
        => Vector128.FusedMultiplyAdd(a, Vector128.Create(b.GetElement(lane)), acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Faddv(Vector128<float> v) => (v[0] + v[1]) + (v[2] + v[3]);

    public static Vector128<int> Sdot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b)
    {
        var (al, ah) = Vector128.Widen(a);
        var (bl, bh) = Vector128.Widen(b);
        var pl = al * bl; var ph = ah * bh; // |p| <= 16384: exact in int16
        var (w0, w1) = Vector128.Widen(pl);
        var (w2, w3) = Vector128.Widen(ph);
        return acc + Vector128.Create(Vector128.Sum(w0), Vector128.Sum(w1), Vector128.Sum(w2), Vector128.Sum(w3));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Smull(Vector128<sbyte> a, Vector128<sbyte> b) => Vector128.WidenLower(a) * Vector128.WidenLower(b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Smull2(Vector128<sbyte> a, Vector128<sbyte> b) => Vector128.WidenUpper(a) * Vector128.WidenUpper(b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Smlal2(Vector128<short> acc, Vector128<sbyte> a, Vector128<sbyte> b) => acc + Vector128.WidenUpper(a) * Vector128.WidenUpper(b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Sadalp(Vector128<int> acc, Vector128<short> v)
    {
        var x = v.AsInt32();
        return acc + Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 16), 16) + Vector128.ShiftRightArithmetic(x, 16);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Addp(Vector128<int> a, Vector128<int> b)
    {
        var sa = a + Vector128.Shuffle(a, Vector128.Create(1, 0, 3, 2));
        var sb = b + Vector128.Shuffle(b, Vector128.Create(1, 0, 3, 2));
        var ea = Vector128.Shuffle(sa, Vector128.Create(0, 2, 0, 2)).AsInt64();
        var eb = Vector128.Shuffle(sb, Vector128.Create(0, 2, 0, 2)).AsInt64();
        return Vector128.Create(ea.ToScalar(), eb.ToScalar()).AsInt32();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int Addv(Vector128<int> v) => Vector128.Sum(v);

    public static Vector128<int> Sqrdmulh(Vector128<int> a, Vector128<int> b)
    {
        var (al, ah) = Vector128.Widen(a);
        var (bl, bh) = Vector128.Widen(b);
        var r = Vector128.Create(1L << 30);
        var max = Vector128.Create((long)int.MaxValue);
        var pl = Vector128.Min(Vector128.ShiftRightArithmetic(al * bl + r, 31), max);
        var ph = Vector128.Min(Vector128.ShiftRightArithmetic(ah * bh + r, 31), max);
        return Vector128.Narrow(pl, ph);
    }
    public static Vector128<int> Sshl(Vector128<int> a, Vector128<int> count)
        => Vector128.Create((int)NeonModel.ShiftLane(a[0], count[0], 32, false), (int)NeonModel.ShiftLane(a[1], count[1], 32, false),
                            (int)NeonModel.ShiftLane(a[2], count[2], 32, false), (int)NeonModel.ShiftLane(a[3], count[3], 32, false));
    public static Vector128<int> Srshl(Vector128<int> a, Vector128<int> count)
        => Vector128.Create((int)NeonModel.ShiftLane(a[0], count[0], 32, true), (int)NeonModel.ShiftLane(a[1], count[1], 32, true),
                            (int)NeonModel.ShiftLane(a[2], count[2], 32, true), (int)NeonModel.ShiftLane(a[3], count[3], 32, true));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Sqadd(Vector128<int> a, Vector128<int> b)
    {
        var s = a + b;
        // overflow when a and b have the same sign and s differs: saturate toward a's sign
        var ovf = Vector128.ShiftRightArithmetic(~(a ^ b) & (a ^ s), 31);
        var sat = Vector128.ShiftRightArithmetic(a, 31) ^ Vector128.Create(int.MaxValue);
        return Vector128.ConditionalSelect(ovf, sat, s);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> SignMask(Vector128<int> a) => Vector128.ShiftRightArithmetic(a, 31);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<long> SmullS32(Vector128<int> a, Vector128<int> b) => Vector128.WidenLower(a) * Vector128.WidenLower(b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<long> Smull2S32(Vector128<int> a, Vector128<int> b) => Vector128.WidenUpper(a) * Vector128.WidenUpper(b);
    public static Vector128<long> Srshl64(Vector128<long> a, Vector128<long> count)
        => Vector128.Create(NeonModel.ShiftLane(a[0], count[0], 64, true), NeonModel.ShiftLane(a[1], count[1], 64, true));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Sqxtn64(Vector128<long> lo, Vector128<long> hi)
    {
        var mn = Vector128.Create((long)int.MinValue); var mx = Vector128.Create((long)int.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(lo, mn), mx), Vector128.Min(Vector128.Max(hi, mn), mx));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Sqxtn32(Vector128<int> lo, Vector128<int> hi)
    {
        var mn = Vector128.Create((int)short.MinValue); var mx = Vector128.Create((int)short.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(lo, mn), mx), Vector128.Min(Vector128.Max(hi, mn), mx));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Sqxtn16(Vector128<short> lo, Vector128<short> hi)
    {
        var mn = Vector128.Create((short)sbyte.MinValue); var mx = Vector128.Create((short)sbyte.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(lo, mn), mx), Vector128.Min(Vector128.Max(hi, mn), mx));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Smax(Vector128<sbyte> a, Vector128<sbyte> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<sbyte> Smin(Vector128<sbyte> a, Vector128<sbyte> b) => Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<byte> Tbl(Vector128<byte> table, Vector128<byte> idx) => Vector128.Shuffle(table, idx);
}
