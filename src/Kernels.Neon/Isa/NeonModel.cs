using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>Software model of the A64 Advanced SIMD instructions our kernels use, written from the Arm
/// ARM pseudocode: lane i is memory element i; widening ops compute exactly; saturating ops clamp;
/// rounding shifts round half up with no intermediate overflow; float ops follow IEEE-754 round to
/// nearest even (FMLA fused, FMAX/FMIN NaN-propagating). Checked against hardware-recorded vectors by
/// <c>edgert conformance neon</c>; used by <see cref="AdvSimdModelIsa"/> to run the NEON kernels on x86.</summary>
public static class NeonModel
{
    // ---- lane helpers -------------------------------------------------------------------------
    private static long Sat(long v, long lo, long hi) => v < lo ? lo : v > hi ? hi : v;
    private static int SatI32(long v) => (int)Sat(v, int.MinValue, int.MaxValue);
    private static short SatI16(long v) => (short)Sat(v, short.MinValue, short.MaxValue);
    private static sbyte SatI8(long v) => (sbyte)Sat(v, sbyte.MinValue, sbyte.MaxValue);

    /// <summary>SSHL/SRSHL on one lane of <paramref name="esize"/> bits: shift = signed low byte of count.</summary>
    public static long ShiftLane(long a, long count, int esize, bool round)
    {
        int shift = (sbyte)(count & 0xff);
        Int128 x = a;
        Int128 r;
        if (shift >= 0) r = shift >= esize ? 0 : x << shift;
        else
        {
            int n = -shift;
            if (n > esize + 1) n = esize + 1; // result is already 0 or -1 (no rounding) / 0 (rounding)
            Int128 rc = round ? (Int128)1 << (n - 1) : 0;
            r = (x + rc) >> n;
        }
        // keep the low esize bits, sign-extended
        return esize switch
        {
            8 => (sbyte)(long)(r & 0xff),
            16 => (short)(long)(r & 0xffff),
            32 => (int)(long)(r & 0xffffffff),
            _ => (long)(ulong)(r & ulong.MaxValue),
        };
    }

    public static int SqrdmulhLane(int a, int b) => SatI32(((long)a * b + (1L << 30)) >> 31);
    public static short SqrdmulhLane(short a, short b) => SatI16(((int)a * b + (1 << 14)) >> 15);
    public static int SqdmulhLane(int a, int b) => SatI32(((long)a * b) >> 31);
    public static short SqdmulhLane(short a, short b) => SatI16(((int)a * b) >> 15);

    private static Vector128<TR> Map<T, TR>(Vector128<T> a, Func<T, TR> f) where T : unmanaged where TR : unmanaged
    {
        int n = Vector128<TR>.Count;
        Span<TR> r = stackalloc TR[n];
        for (int i = 0; i < n; i++) r[i] = f(a.GetElement(i));
        return Vector128.Create<TR>(r);
    }
    private static Vector128<T> Map2<T>(Vector128<T> a, Vector128<T> b, Func<T, T, T> f) where T : unmanaged
    {
        int n = Vector128<T>.Count;
        Span<T> r = stackalloc T[n];
        for (int i = 0; i < n; i++) r[i] = f(a.GetElement(i), b.GetElement(i));
        return Vector128.Create<T>(r);
    }

    // ---- float --------------------------------------------------------------------------------
    public static Vector128<float> Fadd(Vector128<float> a, Vector128<float> b) => Map2(a, b, (x, y) => x + y);
    public static Vector128<float> Fsub(Vector128<float> a, Vector128<float> b) => Map2(a, b, (x, y) => x - y);
    public static Vector128<float> Fmul(Vector128<float> a, Vector128<float> b) => Map2(a, b, (x, y) => x * y);
    public static Vector128<float> Fdiv(Vector128<float> a, Vector128<float> b) => Map2(a, b, (x, y) => x / y);
    /// <summary>FMLA: acc + a*b, single rounding.</summary>
    public static Vector128<float> Fmla(Vector128<float> acc, Vector128<float> a, Vector128<float> b)
    {
        Span<float> r = stackalloc float[4];
        for (int i = 0; i < 4; i++) r[i] = MathF.FusedMultiplyAdd(a.GetElement(i), b.GetElement(i), acc.GetElement(i));
        return Vector128.Create<float>(r);
    }
    /// <summary>FMLA by element.</summary>
    public static Vector128<float> FmlaLane(Vector128<float> acc, Vector128<float> a, Vector128<float> b, int lane)
        => Fmla(acc, a, Vector128.Create(b.GetElement(lane)));
    /// <summary>ACLE vmlaq_f32 on A64: FMUL then FADD (two roundings).</summary>
    public static Vector128<float> FmulFadd(Vector128<float> acc, Vector128<float> a, Vector128<float> b) => Fadd(acc, Fmul(a, b));
    /// <summary>FMAX: NaN-propagating, +0 &gt; -0.</summary>
    public static Vector128<float> Fmax(Vector128<float> a, Vector128<float> b) => Map2(a, b, MathF.Max);
    public static Vector128<float> Fmin(Vector128<float> a, Vector128<float> b) => Map2(a, b, MathF.Min);
    public static Vector128<float> Fabs(Vector128<float> a) => Map(a, x => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) & 0x7fffffff));
    public static Vector128<float> Fneg(Vector128<float> a) => Map(a, x => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ int.MinValue));
    /// <summary>FABD: |a - b| (one rounding, the subtraction).</summary>
    public static Vector128<float> Fabd(Vector128<float> a, Vector128<float> b) => Fabs(Fsub(a, b));
    /// <summary>FADDP Vd.4S: [a0+a1, a2+a3, b0+b1, b2+b3].</summary>
    public static Vector128<float> Faddp(Vector128<float> a, Vector128<float> b)
        => Vector128.Create(a[0] + a[1], a[2] + a[3], b[0] + b[1], b[2] + b[3]);
    /// <summary>FADDP twice: (a0+a1)+(a2+a3).</summary>
    public static float Faddv(Vector128<float> a) => (a[0] + a[1]) + (a[2] + a[3]);
    /// <summary>FRECPS: 2 - a*b, fused; (±0 × ±inf) gives 2.</summary>
    public static Vector128<float> Frecps(Vector128<float> a, Vector128<float> b) => Map2(a, b, (x, y) =>
        (float.IsInfinity(x) && y == 0) || (float.IsInfinity(y) && x == 0) ? 2f : MathF.FusedMultiplyAdd(-x, y, 2f));
    /// <summary>FCVTZS: toward zero, saturating, NaN → 0.</summary>
    public static Vector128<int> Fcvtzs(Vector128<float> a) => Map(a, x => float.IsNaN(x) ? 0 : SatI32((long)Math.Clamp(MathF.Truncate(x), -3e9f, 3e9f)));
    /// <summary>FCVTNS: nearest, ties to even, saturating.</summary>
    public static Vector128<int> Fcvtns(Vector128<float> a) => Map(a, x => float.IsNaN(x) ? 0 : SatI32((long)Math.Clamp(MathF.Round(x, MidpointRounding.ToEven), -3e9f, 3e9f)));
    /// <summary>FCVTAS: nearest, ties away from zero, saturating.</summary>
    public static Vector128<int> Fcvtas(Vector128<float> a) => Map(a, x => float.IsNaN(x) ? 0 : SatI32((long)Math.Clamp(MathF.Round(x, MidpointRounding.AwayFromZero), -3e9f, 3e9f)));
    /// <summary>SCVTF: int32 → float, round to nearest even.</summary>
    public static Vector128<float> Scvtf(Vector128<int> a) => Map(a, x => (float)x);
    /// <summary>FCVTN: float → binary16, round to nearest even.</summary>
    public static Half FcvtHalf(float x) => (Half)x;
    /// <summary>FCVTL: binary16 → float (exact).</summary>
    public static float FcvtlHalf(Half x) => (float)x;

    // ---- integer arithmetic --------------------------------------------------------------------
    public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => Map2(a, b, (x, y) => unchecked(x + y));
    public static Vector128<int> Sqadd(Vector128<int> a, Vector128<int> b) => Map2(a, b, (x, y) => SatI32((long)x + y));
    public static Vector128<short> Sqadd(Vector128<short> a, Vector128<short> b) => Map2(a, b, (x, y) => SatI16(x + y));
    public static Vector128<sbyte> Sqadd(Vector128<sbyte> a, Vector128<sbyte> b) => Map2(a, b, (x, y) => SatI8(x + y));
    public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => Map2(a, b, (x, y) => x & y);
    public static Vector128<sbyte> Smax(Vector128<sbyte> a, Vector128<sbyte> b) => Map2(a, b, Math.Max);
    public static Vector128<sbyte> Smin(Vector128<sbyte> a, Vector128<sbyte> b) => Map2(a, b, Math.Min);
    public static Vector128<int> Smax(Vector128<int> a, Vector128<int> b) => Map2(a, b, Math.Max);
    public static Vector128<int> Smin(Vector128<int> a, Vector128<int> b) => Map2(a, b, Math.Min);
    /// <summary>SABD: |a - b| computed exactly, as an unsigned byte.</summary>
    public static Vector128<byte> Sabd(Vector128<sbyte> a, Vector128<sbyte> b)
    {
        Span<byte> r = stackalloc byte[16];
        for (int i = 0; i < 16; i++) r[i] = (byte)Math.Abs(a[i] - b[i]);
        return Vector128.Create<byte>(r);
    }
    public static Vector128<int> Sqrdmulh(Vector128<int> a, Vector128<int> b) => Map2(a, b, SqrdmulhLane);
    public static Vector128<short> Sqrdmulh(Vector128<short> a, Vector128<short> b) => Map2(a, b, SqrdmulhLane);
    public static Vector128<int> Sqdmulh(Vector128<int> a, Vector128<int> b) => Map2(a, b, SqdmulhLane);
    public static Vector128<short> Sqdmulh(Vector128<short> a, Vector128<short> b) => Map2(a, b, SqdmulhLane);
    public static Vector128<int> Sshl(Vector128<int> a, Vector128<int> c) => Map2(a, c, (x, y) => (int)ShiftLane(x, y, 32, false));
    public static Vector128<int> Srshl(Vector128<int> a, Vector128<int> c) => Map2(a, c, (x, y) => (int)ShiftLane(x, y, 32, true));
    public static Vector128<short> Srshl(Vector128<short> a, Vector128<short> c) => Map2(a, c, (x, y) => (short)ShiftLane(x, y, 16, true));
    public static Vector128<long> Srshl(Vector128<long> a, Vector128<long> c) => Map2(a, c, (x, y) => ShiftLane(x, y, 64, true));
    /// <summary>SRSHR #n (1..esize).</summary>
    public static Vector128<int> Srshr(Vector128<int> a, int n) => Map(a, x => (int)ShiftLane(x, -n, 32, true));
    public static Vector128<short> Srshr(Vector128<short> a, int n) => Map(a, x => (short)ShiftLane(x, -n, 16, true));
    /// <summary>SSHR #n (1..esize).</summary>
    public static Vector128<int> Sshr(Vector128<int> a, int n) => Map(a, x => (int)ShiftLane(x, -n, 32, false));

    // ---- widening / narrowing -----------------------------------------------------------------
    /// <summary>SMULL (8B→8H) of lanes [half*8, half*8+8).</summary>
    public static Vector128<short> Smull(Vector128<sbyte> a, Vector128<sbyte> b, int half)
    {
        Span<short> r = stackalloc short[8];
        for (int i = 0; i < 8; i++) r[i] = (short)(a[half * 8 + i] * b[half * 8 + i]);
        return Vector128.Create<short>(r);
    }
    /// <summary>SMLAL/SMLAL2 (8B→8H): acc + products, wrapping mod 2^16.</summary>
    public static Vector128<short> Smlal(Vector128<short> acc, Vector128<sbyte> a, Vector128<sbyte> b, int half)
    {
        Span<short> r = stackalloc short[8];
        for (int i = 0; i < 8; i++) r[i] = unchecked((short)(acc[i] + a[half * 8 + i] * b[half * 8 + i]));
        return Vector128.Create<short>(r);
    }
    /// <summary>SMULL (4H→4S) of lanes [half*4, half*4+4).</summary>
    public static Vector128<int> Smull(Vector128<short> a, Vector128<short> b, int half)
    {
        Span<int> r = stackalloc int[4];
        for (int i = 0; i < 4; i++) r[i] = a[half * 4 + i] * b[half * 4 + i];
        return Vector128.Create<int>(r);
    }
    /// <summary>SMLAL/SMLAL2 (4H→4S), wrapping mod 2^32.</summary>
    public static Vector128<int> Smlal(Vector128<int> acc, Vector128<short> a, Vector128<short> b, int half)
    {
        Span<int> r = stackalloc int[4];
        for (int i = 0; i < 4; i++) r[i] = unchecked(acc[i] + a[half * 4 + i] * b[half * 4 + i]);
        return Vector128.Create<int>(r);
    }
    /// <summary>SMULL (2S→2D) of lanes [half*2, half*2+2).</summary>
    public static Vector128<long> Smull(Vector128<int> a, Vector128<int> b, int half)
        => Vector128.Create((long)a[half * 2] * b[half * 2], (long)a[half * 2 + 1] * b[half * 2 + 1]);
    /// <summary>SADDLP (16B→8H).</summary>
    public static Vector128<short> Saddlp(Vector128<sbyte> a)
    {
        Span<short> r = stackalloc short[8];
        for (int i = 0; i < 8; i++) r[i] = (short)(a[2 * i] + a[2 * i + 1]);
        return Vector128.Create<short>(r);
    }
    /// <summary>SADDLP (8H→4S).</summary>
    public static Vector128<int> Saddlp(Vector128<short> a)
        => Vector128.Create(a[0] + a[1], a[2] + a[3], a[4] + a[5], a[6] + a[7]);
    /// <summary>SADALP (16B→8H), wrapping.</summary>
    public static Vector128<short> Sadalp(Vector128<short> acc, Vector128<sbyte> a)
    {
        Span<short> r = stackalloc short[8];
        for (int i = 0; i < 8; i++) r[i] = unchecked((short)(acc[i] + a[2 * i] + a[2 * i + 1]));
        return Vector128.Create<short>(r);
    }
    /// <summary>SADALP (8H→4S), wrapping.</summary>
    public static Vector128<int> Sadalp(Vector128<int> acc, Vector128<short> a)
        => Vector128.Create(unchecked(acc[0] + a[0] + a[1]), unchecked(acc[1] + a[2] + a[3]),
                            unchecked(acc[2] + a[4] + a[5]), unchecked(acc[3] + a[6] + a[7]));
    /// <summary>ADDP (4S).</summary>
    public static Vector128<int> Addp(Vector128<int> a, Vector128<int> b)
        => Vector128.Create(unchecked(a[0] + a[1]), unchecked(a[2] + a[3]), unchecked(b[0] + b[1]), unchecked(b[2] + b[3]));
    /// <summary>ADDV (4S), wrapping.</summary>
    public static int Addv(Vector128<int> a) => unchecked(a[0] + a[1] + a[2] + a[3]);
    /// <summary>ADDV (8H), wrapping to int16.</summary>
    public static short Addv(Vector128<short> a) { int s = 0; for (int i = 0; i < 8; i++) s += a[i]; return unchecked((short)s); }
    /// <summary>SXTL / SXTL2 (8B→8H) of lanes [half*8, +8).</summary>
    public static Vector128<short> Sxtl(Vector128<sbyte> a, int half)
    {
        Span<short> r = stackalloc short[8];
        for (int i = 0; i < 8; i++) r[i] = a[half * 8 + i];
        return Vector128.Create<short>(r);
    }
    /// <summary>SXTL / SXTL2 (4H→4S).</summary>
    public static Vector128<int> Sxtl(Vector128<short> a, int half)
        => Vector128.Create((int)a[half * 4], a[half * 4 + 1], a[half * 4 + 2], a[half * 4 + 3]);
    /// <summary>SQXTN+SQXTN2 (2×2D → 4S).</summary>
    public static Vector128<int> Sqxtn(Vector128<long> lo, Vector128<long> hi)
        => Vector128.Create(SatI32(lo[0]), SatI32(lo[1]), SatI32(hi[0]), SatI32(hi[1]));
    /// <summary>SQXTN+SQXTN2 (2×4S → 8H).</summary>
    public static Vector128<short> Sqxtn(Vector128<int> lo, Vector128<int> hi)
    {
        Span<short> r = stackalloc short[8];
        for (int i = 0; i < 4; i++) { r[i] = SatI16(lo[i]); r[4 + i] = SatI16(hi[i]); }
        return Vector128.Create<short>(r);
    }
    /// <summary>SQXTN+SQXTN2 (2×8H → 16B).</summary>
    public static Vector128<sbyte> Sqxtn(Vector128<short> lo, Vector128<short> hi)
    {
        Span<sbyte> r = stackalloc sbyte[16];
        for (int i = 0; i < 8; i++) { r[i] = SatI8(lo[i]); r[8 + i] = SatI8(hi[i]); }
        return Vector128.Create<sbyte>(r);
    }
    /// <summary>SQXTUN (8H → 8B unsigned), lanes 0..7 of the result.</summary>
    public static Vector128<byte> Sqxtun(Vector128<short> a)
    {
        Span<byte> r = stackalloc byte[16];
        for (int i = 0; i < 8; i++) r[i] = (byte)Sat(a[i], 0, 255);
        return Vector128.Create<byte>(r);
    }
    /// <summary>SQXTUN (4S → 4H unsigned), lanes 0..3 of the result.</summary>
    public static Vector128<ushort> Sqxtun(Vector128<int> a)
    {
        Span<ushort> r = stackalloc ushort[8];
        for (int i = 0; i < 4; i++) r[i] = (ushort)Sat(a[i], 0, 65535);
        return Vector128.Create<ushort>(r);
    }

    // ---- dot product ---------------------------------------------------------------------------
    /// <summary>SDOT (4S, 16B, 16B), or by element when lane ≥ 0 (b's 4-byte group <paramref name="lane"/>).</summary>
    public static Vector128<int> Sdot(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b, int lane = -1)
    {
        Span<int> r = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            int s = acc[i];
            int g = lane < 0 ? i : lane;
            for (int j = 0; j < 4; j++) s = unchecked(s + a[4 * i + j] * b[4 * g + j]);
            r[i] = s;
        }
        return Vector128.Create<int>(r);
    }
    /// <summary>UDOT (4S, 16B, 16B), or by element.</summary>
    public static Vector128<uint> Udot(Vector128<uint> acc, Vector128<byte> a, Vector128<byte> b, int lane = -1)
    {
        Span<uint> r = stackalloc uint[4];
        for (int i = 0; i < 4; i++)
        {
            uint s = acc[i];
            int g = lane < 0 ? i : lane;
            for (int j = 0; j < 4; j++) s = unchecked(s + (uint)(a[4 * i + j] * b[4 * g + j]));
            r[i] = s;
        }
        return Vector128.Create<uint>(r);
    }

    // ---- permutes ------------------------------------------------------------------------------
    /// <summary>TBL (one 16-byte table): idx &lt; 16 ? table[idx] : 0.</summary>
    public static Vector128<byte> Tbl(Vector128<byte> table, Vector128<byte> idx)
    {
        Span<byte> r = stackalloc byte[16];
        for (int i = 0; i < 16; i++) r[i] = idx[i] < 16 ? table[idx[i]] : (byte)0;
        return Vector128.Create<byte>(r);
    }
    /// <summary>ZIP1 (16B).</summary>
    public static Vector128<sbyte> Zip1(Vector128<sbyte> a, Vector128<sbyte> b)
    {
        Span<sbyte> r = stackalloc sbyte[16];
        for (int i = 0; i < 8; i++) { r[2 * i] = a[i]; r[2 * i + 1] = b[i]; }
        return Vector128.Create<sbyte>(r);
    }
    /// <summary>UZP1 (16B).</summary>
    public static Vector128<sbyte> Uzp1(Vector128<sbyte> a, Vector128<sbyte> b)
    {
        Span<sbyte> r = stackalloc sbyte[16];
        for (int i = 0; i < 8; i++) { r[i] = a[2 * i]; r[8 + i] = b[2 * i]; }
        return Vector128.Create<sbyte>(r);
    }
    /// <summary>EXT (16B) #n: bytes n..n+15 of a:b, a first.</summary>
    public static Vector128<sbyte> Ext(Vector128<sbyte> a, Vector128<sbyte> b, int n)
    {
        Span<sbyte> r = stackalloc sbyte[16];
        for (int i = 0; i < 16; i++) r[i] = n + i < 16 ? a[n + i] : b[n + i - 16];
        return Vector128.Create<sbyte>(r);
    }
    /// <summary>REV64 (16B): reverse bytes within each 64-bit half.</summary>
    public static Vector128<sbyte> Rev64(Vector128<sbyte> a)
    {
        Span<sbyte> r = stackalloc sbyte[16];
        for (int i = 0; i < 16; i++) r[i] = a[(i & 8) + 7 - (i & 7)];
        return Vector128.Create<sbyte>(r);
    }
}
