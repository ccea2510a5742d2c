using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Requant;

/// <summary>int32 accumulators → int8 with a per-channel (or per-tensor) fixed-point multiplier and shift,
/// output offset (zero point) and activation clamp; both TFLite roundings (<see cref="RoundingMode"/>).
/// Bit-exact with <see cref="RequantizeReference"/> on every path.
/// <para>Layout: <c>acc</c> and <c>dst</c> are rows×channels, channel fastest (NHWC). multiplier/shift have
/// <c>channels</c> entries (1 when per-tensor). Requirements: multiplier in [0, 2^31), shift in [−31, 30],
/// −128 ≤ actMin ≤ actMax ≤ 127. dst may not overlap acc. No allocation.</para></summary>
public static unsafe class Requantize
{
    /// <summary>Requantize on the fastest path of this machine.</summary>
    public static void Run(int rows, int channels, int* acc, sbyte* dst, int* multiplier, int* shift,
        int outputOffset, int actMin, int actMax, RoundingMode mode, bool perChannel = true)
        => Run(KernelPaths.BestInt8, rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel);

    /// <summary>Requantize on an explicit path. x86 wide paths run the NEON-shaped kernel on Vector128.</summary>
    public static void Run(KernelPath path, int rows, int channels, int* acc, sbyte* dst, int* multiplier, int* shift,
        int outputOffset, int actMin, int actMax, RoundingMode mode, bool perChannel = true)
    {
        if (rows < 0 || channels < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"requantize: negative size rows={rows} channels={channels}");
        if (actMin < -128 || actMax > 127 || actMin > actMax) throw new ArgumentOutOfRangeException(nameof(actMin), $"requantize: clamp [{actMin}, {actMax}] is not inside [-128, 127]");
        if (rows == 0 || channels == 0) return;
        int nq = perChannel ? channels : 1;
        for (int q = 0; q < nq; q++)
            if (shift[q] < -31 || shift[q] > 30 || multiplier[q] < 0)
                throw new ArgumentOutOfRangeException(nameof(shift), $"requantize: channel {q} has multiplier {multiplier[q]}, shift {shift[q]} (need M >= 0, shift in [-31, 30])");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"requantize path {KernelPaths.Name(path)} is not supported on this machine");
        switch (path)
        {
            case KernelPath.AdvSimd: Neon<AdvSimdIsa>(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel); break;
            case KernelPath.AdvSimdDp: Neon<AdvSimdDpIsa>(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel); break;
            case KernelPath.NeonModel: Neon<AdvSimdModelIsa>(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel); break;
            case KernelPath.NeonDpModel: Neon<AdvSimdDpModelIsa>(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel); break;
            case KernelPath.Scalar: RequantizeReference.Run(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel); break;
            default:
                if (PortableIsa.IsSupported) Neon<PortableIsa>(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel);
                else RequantizeReference.Run(rows, channels, acc, dst, multiplier, shift, outputOffset, actMin, actMax, mode, perChannel);
                break;
        }
    }

    /// <summary>The NEON kernel written once: 16 channels per step (4×4 int32 lanes → SQXTN ×2 → 16 int8),
    /// then SMAX/SMIN clamp. Channel tails use the reference formula.</summary>
    internal static void Neon<TIsa>(int rows, int channels, int* acc, sbyte* dst, int* multiplier, int* shift,
        int outputOffset, int actMin, int actMax, RoundingMode mode, bool perChannel) where TIsa : struct, IIsa
    {
        var off = Vector128.Create(outputOffset);
        var lo = Vector128.Create((sbyte)actMin); var hi = Vector128.Create((sbyte)actMax);
        int cv = channels & ~15;
        for (int r = 0; r < rows; r++)
        {
            int* ar = acc + (long)r * channels;
            sbyte* dr = dst + (long)r * channels;
            for (int c = 0; c < cv; c += 16)
            {
                var x0 = One<TIsa>(Vector128.Load(ar + c), multiplier, shift, perChannel ? c : -1, off, mode);
                var x1 = One<TIsa>(Vector128.Load(ar + c + 4), multiplier, shift, perChannel ? c + 4 : -1, off, mode);
                var x2 = One<TIsa>(Vector128.Load(ar + c + 8), multiplier, shift, perChannel ? c + 8 : -1, off, mode);
                var x3 = One<TIsa>(Vector128.Load(ar + c + 12), multiplier, shift, perChannel ? c + 12 : -1, off, mode);
                var b = TIsa.Sqxtn16(TIsa.Sqxtn32(x0, x1), TIsa.Sqxtn32(x2, x3));
                TIsa.Smin(TIsa.Smax(b, lo), hi).Store(dr + c);
            }
            for (int c = cv; c < channels; c++)
            {
                int q = perChannel ? c : 0;
                long v = RequantizeReference.Scale(ar[c], multiplier[q], shift[q], mode) + outputOffset;
                dr[c] = (sbyte)Math.Clamp(v, actMin, actMax);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> One<TIsa>(Vector128<int> x, int* multiplier, int* shift, int c, Vector128<int> off, RoundingMode mode)
        where TIsa : struct, IIsa
    {
        // Parameter vectors (per channel, or broadcast when per-tensor): preparation, not the modelled math.
        var m = c >= 0 ? Vector128.Load(multiplier + c) : Vector128.Create(multiplier[0]);
        var sh = c >= 0 ? Vector128.Load(shift + c) : Vector128.Create(shift[0]);
        if (mode == RoundingMode.Single)
        {
            var count = Vector128.WidenLower(sh) - Vector128.Create(31L);   // -(31 - shift)
            var count2 = Vector128.WidenUpper(sh) - Vector128.Create(31L);
            var p0 = TIsa.Srshl64(TIsa.SmullS32(x, m), count);
            var p1 = TIsa.Srshl64(TIsa.Smull2S32(x, m), count2);
            return TIsa.Sqadd(TIsa.Sqxtn64(p0, p1), off);
        }
        return TIsa.Sqadd(ScaleDouble<TIsa>(x, m, sh), off);
    }

    /// <summary>The double-rounding scale (<see cref="RoundingMode.Double"/>, before the offset) of four lanes:
    /// SSHL by max(shift, 0), SQRDMULH, the AND/SSHR/SQADD fix-up, SRSHL by min(shift, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> ScaleDouble<TIsa>(Vector128<int> x, Vector128<int> m, Vector128<int> sh) where TIsa : struct, IIsa
    {
        var left = Vector128.Max(sh, Vector128<int>.Zero);
        var right = Vector128.Min(sh, Vector128<int>.Zero);                 // -max(-shift, 0)
        var y = TIsa.Sqrdmulh(TIsa.Sshl(x, left), m);
        var fix = TIsa.SignMask(TIsa.And(y, right));
        return TIsa.Srshl(TIsa.Sqadd(y, fix), right);
    }
}
