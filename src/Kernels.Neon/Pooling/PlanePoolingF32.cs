using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Pooling;

/// <summary>fp32 pooling over channel-first planes (NCHW: each (n, c) plane is an H×W image), the ONNX
/// layout. Max pooling runs separably: the window's input rows are reduced column-wise into one row
/// with whole vectors (<c>Max</c> over contiguous columns), then each output takes the maximum of its
/// window's columns in that row. Padding taps are excluded; a window with no valid tap gives
/// <see cref="float.MinValue"/>. The result equals <see cref="PoolingReference.MaxF32"/> run with one
/// channel and a batch of planes (max is exact). Global mean sums each plane with vector accumulators:
/// within 2·size·2^-24·Σ|x| of the exact mean. No allocation.</summary>
public static unsafe class PlanePoolingF32
{
    /// <summary>Max pooling of <paramref name="planes"/> planes [inH, inW] into [outH, outW]; <paramref name="row"/>
    /// is scratch of at least <paramref name="inW"/> floats.</summary>
    public static void Max(int planes, int inH, int inW, float* x, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* y, float* row, KernelPath? path = null)
    {
        if (planes < 0 || inH <= 0 || inW <= 0 || kH <= 0 || kW <= 0 || strideH <= 0 || strideW <= 0 || outH < 0 || outW < 0)
            throw new ArgumentOutOfRangeException(nameof(planes), "pooling: sizes must be >= 0, input/kernel/stride >= 1");
        var p = path ?? KernelPaths.BestF32;
        if (!KernelPaths.IsSupported(p)) throw new PlatformNotSupportedException($"pooling path {KernelPaths.Name(p)} is not supported on this machine");
        switch (p)
        {
            case KernelPath.Avx512: MaxGeneric<Avx512Isa, Vector512<float>>(planes, inH, inW, x, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, y, row); break;
            case KernelPath.Avx2: MaxGeneric<Avx2Isa, Vector256<float>>(planes, inH, inW, x, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, y, row); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: MaxGeneric<AdvSimdIsa, Vector128<float>>(planes, inH, inW, x, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, y, row); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: MaxGeneric<AdvSimdModelIsa, Vector128<float>>(planes, inH, inW, x, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, y, row); break;
            case KernelPath.Portable: MaxGeneric<PortableIsa, Vector128<float>>(planes, inH, inW, x, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, y, row); break;
            default: MaxGeneric<ScalarIsa, float>(planes, inH, inW, x, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, y, row); break;
        }
    }

    private static void MaxGeneric<TIsa, TV>(int planes, int inH, int inW, float* x, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* y, float* row) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, wv = inW - inW % L;
        long plane = (long)inH * inW;
        for (int p = 0; p < planes; p++)
        {
            float* xp = x + p * plane;
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = oh * strideH - padTop;
                int lo = Math.Max(0, h0), hi = Math.Min(inH, h0 + kH);
                float* yr = y + ((long)p * outH + oh) * outW;
                if (hi <= lo) { new Span<float>(yr, outW).Fill(float.MinValue); continue; }
                float* src = xp + (long)lo * inW;
                float* win = row;
                if (hi - lo == 1) win = src; // one valid row: read it in place
                else
                {
                    float* r1 = src + inW;
                    int c = 0;
                    for (; c < wv; c += L) TIsa.Store(row + c, TIsa.Max(TIsa.Load(src + c), TIsa.Load(r1 + c)));
                    for (; c < inW; c++) row[c] = MathF.Max(src[c], r1[c]);
                    for (int r = lo + 2; r < hi; r++)
                    {
                        float* rr = xp + (long)r * inW;
                        for (c = 0; c < wv; c += L) TIsa.Store(row + c, TIsa.Max(TIsa.Load(row + c), TIsa.Load(rr + c)));
                        for (; c < inW; c++) row[c] = MathF.Max(row[c], rr[c]);
                    }
                }
                // Windows wholly inside the row: [inLo, inHi); the others are clipped.
                int inLo = Math.Min(outW, (padLeft + strideW - 1) / strideW);
                int inHi = Math.Max(inLo, Math.Min(outW, inW - kW + padLeft >= 0 ? (inW - kW + padLeft) / strideW + 1 : 0));
                for (int ow = 0; ow < inLo; ow++) yr[ow] = ClippedMax(win, ow * strideW - padLeft, kW, inW);
                if (kW == 2)
                    for (int ow = inLo; ow < inHi; ow++) { float* q = win + (ow * strideW - padLeft); float a0 = q[0], a1 = q[1]; yr[ow] = a1 > a0 ? a1 : a0; }
                else
                    for (int ow = inLo; ow < inHi; ow++)
                    {
                        float* q = win + (ow * strideW - padLeft);
                        float m = q[0];
                        for (int c = 1; c < kW; c++) m = MathF.Max(m, q[c]);
                        yr[ow] = m;
                    }
                for (int ow = inHi; ow < outW; ow++) yr[ow] = ClippedMax(win, ow * strideW - padLeft, kW, inW);
            }
        }
    }

    private static float ClippedMax(float* row, int w0, int kW, int inW)
    {
        int a = Math.Max(0, w0), b = Math.Min(inW, w0 + kW);
        float m = float.MinValue;
        for (int c = a; c < b; c++) m = MathF.Max(m, row[c]);
        return m;
    }

    /// <summary>y[p] = mean of plane p (<paramref name="size"/> contiguous floats), for <paramref name="planes"/> planes.</summary>
    public static void Mean(int planes, int size, float* x, float* y, KernelPath? path = null)
    {
        if (planes < 0 || size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "mean: planes >= 0 and size >= 1");
        var p = path ?? KernelPaths.BestF32;
        if (!KernelPaths.IsSupported(p)) throw new PlatformNotSupportedException($"pooling path {KernelPaths.Name(p)} is not supported on this machine");
        switch (p)
        {
            case KernelPath.Avx512: MeanGeneric<Avx512Isa, Vector512<float>>(planes, size, x, y); break;
            case KernelPath.Avx2: MeanGeneric<Avx2Isa, Vector256<float>>(planes, size, x, y); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: MeanGeneric<AdvSimdIsa, Vector128<float>>(planes, size, x, y); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: MeanGeneric<AdvSimdModelIsa, Vector128<float>>(planes, size, x, y); break;
            case KernelPath.Portable: MeanGeneric<PortableIsa, Vector128<float>>(planes, size, x, y); break;
            default: MeanGeneric<ScalarIsa, float>(planes, size, x, y); break;
        }
    }

    private static void MeanGeneric<TIsa, TV>(int planes, int size, float* x, float* y) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        for (int p = 0; p < planes; p++)
        {
            float* s = x + (long)p * size;
            TV a0 = TIsa.Zero, a1 = TIsa.Zero, a2 = TIsa.Zero, a3 = TIsa.Zero;
            int i = 0;
            for (; i <= size - 4 * L; i += 4 * L)
            {
                a0 = TIsa.Add(a0, TIsa.Load(s + i)); a1 = TIsa.Add(a1, TIsa.Load(s + i + L));
                a2 = TIsa.Add(a2, TIsa.Load(s + i + 2 * L)); a3 = TIsa.Add(a3, TIsa.Load(s + i + 3 * L));
            }
            for (; i <= size - L; i += L) a0 = TIsa.Add(a0, TIsa.Load(s + i));
            float sum = TIsa.Sum(TIsa.Add(TIsa.Add(a0, a1), TIsa.Add(a2, a3)));
            for (; i < size; i++) sum += s[i];
            y[p] = sum / size;
        }
    }
}
