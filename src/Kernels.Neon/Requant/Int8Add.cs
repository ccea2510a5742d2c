using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Requant;

/// <summary>TFLite int8 ADD (reference_integer_ops::AddElementwise, as TFLite and TFLM run it): each input is
/// offset, shifted left by <see cref="Int8AddParams.LeftShift"/> and rescaled with double rounding, the sum
/// rescaled to the output with double rounding, offset and clamped. Bit-exact with <see cref="Reference"/> on
/// every path. dst may equal a or b (in place); no allocation.</summary>
public static unsafe class Int8Add
{
    public static void Run(int n, sbyte* a, sbyte* b, sbyte* dst, in Int8AddParams p) => Run(KernelPaths.BestInt8, n, a, b, dst, p);

    /// <summary>Run on an explicit path. x86 wide paths run the NEON-shaped kernel on Vector128.</summary>
    public static void Run(KernelPath path, int n, sbyte* a, sbyte* b, sbyte* dst, in Int8AddParams p)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $"int8 add: negative size {n}");
        p.Validate();
        if (n == 0) return;
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"int8 add path {KernelPaths.Name(path)} is not supported on this machine");
        switch (path)
        {
            case KernelPath.AdvSimd: Neon<AdvSimdIsa>(n, a, b, dst, p); break;
            case KernelPath.AdvSimdDp: Neon<AdvSimdDpIsa>(n, a, b, dst, p); break;
            case KernelPath.NeonModel: Neon<AdvSimdModelIsa>(n, a, b, dst, p); break;
            case KernelPath.NeonDpModel: Neon<AdvSimdDpModelIsa>(n, a, b, dst, p); break;
            case KernelPath.Scalar: Reference(n, a, b, dst, p); break;
            default:
                if (PortableIsa.IsSupported) Neon<PortableIsa>(n, a, b, dst, p); else Reference(n, a, b, dst, p);
                break;
        }
    }

    /// <summary>Scalar reference: the TFLite formula written plainly.</summary>
    public static void Reference(int n, sbyte* a, sbyte* b, sbyte* dst, in Int8AddParams p)
    {
        for (int i = 0; i < n; i++) dst[i] = One(a[i], b[i], p);
    }

    private static sbyte One(sbyte a, sbyte b, in Int8AddParams p)
    {
        int sa = (int)RequantizeReference.Scale((a + p.AOffset) * (1 << p.LeftShift), p.AMultiplier, p.AShift, RoundingMode.Double);
        int sb = (int)RequantizeReference.Scale((b + p.BOffset) * (1 << p.LeftShift), p.BMultiplier, p.BShift, RoundingMode.Double);
        long v = RequantizeReference.Scale(sa + sb, p.OutMultiplier, p.OutShift, RoundingMode.Double) + p.OutOffset;
        return (sbyte)Math.Clamp(v, p.Min, p.Max);
    }

    /// <summary>The NEON kernel written once: 16 values per step, widened (SXTL) to four int32 vectors per input.</summary>
    internal static void Neon<TIsa>(int n, sbyte* a, sbyte* b, sbyte* dst, in Int8AddParams p) where TIsa : struct, IIsa
    {
        var aOff = Vector128.Create((short)p.AOffset); var bOff = Vector128.Create((short)p.BOffset);
        var left = Vector128.Create(p.LeftShift);
        var am = Vector128.Create(p.AMultiplier); var ash = Vector128.Create(p.AShift);
        var bm = Vector128.Create(p.BMultiplier); var bsh = Vector128.Create(p.BShift);
        var om = Vector128.Create(p.OutMultiplier); var osh = Vector128.Create(p.OutShift);
        var off = Vector128.Create(p.OutOffset);
        var lo = Vector128.Create((sbyte)p.Min); var hi = Vector128.Create((sbyte)p.Max);
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            var (a0, a1) = Vector128.Widen(Vector128.Load(a + i));
            var (b0, b1) = Vector128.Widen(Vector128.Load(b + i));
            var (x0, x1) = Vector128.Widen(a0 + aOff);
            var (x2, x3) = Vector128.Widen(a1 + aOff);
            var (y0, y1) = Vector128.Widen(b0 + bOff);
            var (y2, y3) = Vector128.Widen(b1 + bOff);
            var r0 = Sum<TIsa>(x0, y0, left, am, ash, bm, bsh, om, osh, off);
            var r1 = Sum<TIsa>(x1, y1, left, am, ash, bm, bsh, om, osh, off);
            var r2 = Sum<TIsa>(x2, y2, left, am, ash, bm, bsh, om, osh, off);
            var r3 = Sum<TIsa>(x3, y3, left, am, ash, bm, bsh, om, osh, off);
            var q = TIsa.Sqxtn16(TIsa.Sqxtn32(r0, r1), TIsa.Sqxtn32(r2, r3));
            TIsa.Smin(TIsa.Smax(q, lo), hi).Store(dst + i);
        }
        for (; i < n; i++) dst[i] = One(a[i], b[i], p);
    }

    private static Vector128<int> Sum<TIsa>(Vector128<int> x, Vector128<int> y, Vector128<int> left, Vector128<int> am, Vector128<int> ash,
        Vector128<int> bm, Vector128<int> bsh, Vector128<int> om, Vector128<int> osh, Vector128<int> off) where TIsa : struct, IIsa
    {
        var sx = Requantize.ScaleDouble<TIsa>(TIsa.Sshl(x, left), am, ash);
        var sy = Requantize.ScaleDouble<TIsa>(TIsa.Sshl(y, left), bm, bsh);
        return TIsa.Sqadd(Requantize.ScaleDouble<TIsa>(TIsa.Add(sx, sy), om, osh), off);
    }
}

/// <summary>Parameters of <see cref="Int8Add"/>: offsets are the negated zero points (output: the zero point);
/// multipliers/shifts as TFLite's QuantizeMultiplier (M in [0, 2^31), shift in [−31, 30]).</summary>
public readonly record struct Int8AddParams(int LeftShift, int AOffset, int AMultiplier, int AShift, int BOffset, int BMultiplier, int BShift,
    int OutMultiplier, int OutShift, int OutOffset, int Min, int Max)
{
    public void Validate()
    {
        if (LeftShift is < 0 or > 22) throw new ArgumentOutOfRangeException(nameof(LeftShift), $"int8 add: left shift {LeftShift} is not in [0, 22]");
        if (AOffset is < -255 or > 255 || BOffset is < -255 or > 255) throw new ArgumentOutOfRangeException(nameof(AOffset), $"int8 add: input offsets {AOffset}, {BOffset} are not in [-255, 255]");
        Check(AMultiplier, AShift);
        Check(BMultiplier, BShift);
        Check(OutMultiplier, OutShift);
        if (Min < -128 || Max > 127 || Min > Max) throw new ArgumentOutOfRangeException(nameof(Min), $"int8 add: clamp [{Min}, {Max}] is not inside [-128, 127]");
    }

    private static void Check(int m, int s)
    {
        if (m < 0 || s < -31 || s > 30) throw new ArgumentOutOfRangeException(nameof(m), $"int8 add: multiplier {m}, shift {s} (need M >= 0, shift in [-31, 30])");
    }
}
