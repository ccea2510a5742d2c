using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Requant;

/// <summary>Which entries of a per-axis parameter array apply to element [r, c].</summary>
public enum ScaleAxis
{
    /// <summary>One value for every element.</summary>
    Tensor,
    /// <summary>scale[r] (e.g. NCHW convolution output: one row per output channel).</summary>
    Row,
    /// <summary>scale[c] (e.g. MatMul with a per-column weight scale).</summary>
    Column,
}

/// <summary>int32 accumulators → int8/uint8 with a float scale and round half to even, as the ONNX
/// QLinearConv / QLinearMatMul definitions do (numpy: int32 · float32 in float64, <c>rint</c>, + zero
/// point, saturate): <c>y = clamp(round_half_even((double)(acc + rowBias[r]) · (double)scale) + zeroPoint, min, max)</c>.
/// <para>The sum acc + rowBias wraps mod 2^32. acc is rows×cols (row stride ldAcc), dst rows×cols bytes
/// (row stride ldDst), written as int8 or as uint8 (the same low byte). min ≤ max inside the output type's
/// range. Bit-exact with <see cref="RequantizeFloatReference"/> on every path (the double product and its
/// rounding are IEEE operations). No allocation.</para></summary>
public static unsafe class RequantizeFloat
{
    public static void Run(int rows, int cols, int* acc, int ldAcc, int* rowBias, float* scale, ScaleAxis axis,
        int zeroPoint, byte* dst, int ldDst, int min, int max)
        => Run(KernelPaths.BestInt8, rows, cols, acc, ldAcc, rowBias, scale, axis, zeroPoint, dst, ldDst, min, max);

    /// <summary>Run on an explicit path: AVX-512 (and AVX-VNNI on an AVX-512 machine) take 16 lanes
    /// at a time, every other non-scalar path the Vector128 kernel (NEON: FCVT/FRINTN on .2D lanes).</summary>
    public static void Run(KernelPath path, int rows, int cols, int* acc, int ldAcc, int* rowBias, float* scale, ScaleAxis axis,
        int zeroPoint, byte* dst, int ldDst, int min, int max)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"requantize: negative size rows={rows} cols={cols}");
        if (ldAcc < cols || ldDst < cols) throw new ArgumentOutOfRangeException(nameof(ldAcc), $"requantize: strides ldAcc={ldAcc} ldDst={ldDst} must be >= cols={cols}");
        if (min > max || min < -128 || max > 255) throw new ArgumentOutOfRangeException(nameof(min), $"requantize: clamp [{min}, {max}] is not an 8-bit range");
        if (rows == 0 || cols == 0) return;
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"requantize path {KernelPaths.Name(path)} is not supported on this machine");
        if (path == KernelPath.Scalar || !Vector128.IsHardwareAccelerated)
            RequantizeFloatReference.Run(rows, cols, acc, ldAcc, rowBias, scale, axis, zeroPoint, dst, ldDst, min, max);
        else if (path is KernelPath.Avx512 or KernelPath.AvxVnni && Vector512.IsHardwareAccelerated)
            Wide(rows, cols, acc, ldAcc, rowBias, scale, axis, zeroPoint, dst, ldDst, min, max);
        else
            Narrow(rows, cols, acc, ldAcc, rowBias, scale, axis, zeroPoint, dst, ldDst, min, max);
    }

    /// <summary>Vector128: 4 accumulators per step (two .2D halves), with conversions that are single instructions
    /// on every target (x86 without AVX-512 has no packed int64↔double conversion): int32 → double exactly as
    /// (2^52 + 2^31 + x) − (2^52 + 2^31) built from the bits; the product clamped to ±2^16 (which changes no
    /// saturated result) and rounded by adding 1.5·2^52, whose sum rounds to an integer half to even (the IEEE
    /// default) and holds it in its low 32 bits. Zero point and clamp in int32.</summary>
    private static void Narrow(int rows, int cols, int* acc, int ldAcc, int* rowBias, float* scale, ScaleAxis axis,
        int zeroPoint, byte* dst, int ldDst, int min, int max)
    {
        var zp = Vector128.Create(zeroPoint);
        var lo = Vector128.Create(min);
        var hi = Vector128.Create(max);
        int cv = cols & ~3;
        for (int r = 0; r < rows; r++)
        {
            int* a = acc + (long)r * ldAcc;
            byte* d = dst + (long)r * ldDst;
            var bias = Vector128.Create(rowBias != null ? rowBias[r] : 0);
            var s = Vector128.Create((double)scale[axis == ScaleAxis.Row ? r : 0]);
            for (int c = 0; c < cv; c += 4)
            {
                var (l, h) = ToDouble(Vector128.Load(a + c) + bias);
                Vector128<double> sl = s, sh = s;
                if (axis == ScaleAxis.Column) (sl, sh) = Vector128.Widen(Vector128.Load(scale + c));
                var q = Vector128.Narrow(RoundToInt(l * sl), RoundToInt(h * sh));
                q = Vector128.Min(Vector128.Max(q + zp, lo), hi);
                // Values are inside [−128, 255]: the truncating narrows keep the output byte.
                var b = Vector128.Narrow(Vector128.Narrow(q, q), Vector128<short>.Zero);
                Unsafe.WriteUnaligned(d + c, b.AsInt32().ToScalar());
            }
            Tail(r, cv, cols, a, rowBias, scale, axis, zeroPoint, d, min, max);
        }
    }

    private const double TwoP52P31 = 4503601774854144.0;   // 2^52 + 2^31
    private const double RoundMagic = 6755399441055744.0;  // 1.5·2^52

    /// <summary>Exact int32 → double of four lanes with integer operations and one subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<double>, Vector128<double>) ToDouble(Vector128<int> x)
    {
        var (l, h) = Vector128.Widen((x ^ Vector128.Create(int.MinValue)).AsUInt32());   // x + 2^31, zero-extended
        var bits = Vector128.Create(0x4330000000000000UL);                                    // 2^52
        return ((l | bits).AsDouble() - Vector128.Create(TwoP52P31), (h | bits).AsDouble() - Vector128.Create(TwoP52P31));
    }

    /// <summary>round_half_even(v) for |v| ≤ 2^16 (larger values clamped there first), as int64 lanes whose low half is the result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> RoundToInt(Vector128<double> v)
    {
        var c = Vector128.Min(Vector128.Max(v, Vector128.Create(-65536.0)), Vector128.Create(65536.0));
        return (c + Vector128.Create(RoundMagic)).AsInt64();
    }

    /// <summary>Vector512: 16 accumulators per step (two 8-lane double halves).</summary>
    private static void Wide(int rows, int cols, int* acc, int ldAcc, int* rowBias, float* scale, ScaleAxis axis,
        int zeroPoint, byte* dst, int ldDst, int min, int max)
    {
        var zp = Vector512.Create((double)zeroPoint);
        var lo = Vector512.Create((double)min);
        var hi = Vector512.Create((double)max);
        int cv = cols & ~15;
        for (int r = 0; r < rows; r++)
        {
            int* a = acc + (long)r * ldAcc;
            byte* d = dst + (long)r * ldDst;
            var bias = Vector512.Create(rowBias != null ? rowBias[r] : 0);
            var s = Vector512.Create((double)scale[axis == ScaleAxis.Row ? r : 0]);
            for (int c = 0; c < cv; c += 16)
            {
                var (l, h) = Vector512.Widen(Vector512.Load(a + c) + bias);
                Vector512<double> sl = s, sh = s;
                if (axis == ScaleAxis.Column) (sl, sh) = Vector512.Widen(Vector512.Load(scale + c));
                var yl = Vector512.ConvertToInt64(Vector512.Min(Vector512.Max(Vector512.Round(Vector512.ConvertToDouble(l) * sl) + zp, lo), hi));
                var yh = Vector512.ConvertToInt64(Vector512.Min(Vector512.Max(Vector512.Round(Vector512.ConvertToDouble(h) * sh) + zp, lo), hi));
                var q = Vector512.Narrow(yl, yh);                                   // 16 × int32
                var w = Vector256.Narrow(q.GetLower(), q.GetUpper());               // 16 × int16
                Vector128.Narrow(w.GetLower(), w.GetUpper()).AsByte().Store(d + c); // 16 bytes
            }
            Tail(r, cv, cols, a, rowBias, scale, axis, zeroPoint, d, min, max);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tail(int r, int from, int cols, int* a, int* rowBias, float* scale, ScaleAxis axis, int zeroPoint, byte* d, int min, int max)
    {
        int bias = rowBias != null ? rowBias[r] : 0;
        for (int c = from; c < cols; c++)
            d[c] = RequantizeFloatReference.One(unchecked(a[c] + bias), scale[axis == ScaleAxis.Row ? r : axis == ScaleAxis.Column ? c : 0], zeroPoint, min, max);
    }
}

/// <summary>Scalar reference for <see cref="RequantizeFloat"/>.</summary>
public static unsafe class RequantizeFloatReference
{
    /// <summary>clamp(round_half_even((double)v · (double)scale) + zeroPoint, min, max) as a byte.</summary>
    public static byte One(int v, float scale, int zeroPoint, int min, int max)
    {
        double q = Math.Round(v * (double)scale, MidpointRounding.ToEven) + zeroPoint;
        return (byte)(int)Math.Clamp(q, min, max);
    }

    public static void Run(int rows, int cols, int* acc, int ldAcc, int* rowBias, float* scale, ScaleAxis axis,
        int zeroPoint, byte* dst, int ldDst, int min, int max)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int v = unchecked(acc[(long)r * ldAcc + c] + (rowBias != null ? rowBias[r] : 0));
                float s = scale[axis == ScaleAxis.Row ? r : axis == ScaleAxis.Column ? c : 0];
                dst[(long)r * ldDst + c] = One(v, s, zeroPoint, min, max);
            }
    }
}
