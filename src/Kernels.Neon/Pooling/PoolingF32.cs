using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Pooling;

/// <summary>fp32 max and average pooling, NHWC, channels in the widest vectors; padding taps excluded.
/// Max is exact; average equals <see cref="PoolingReference"/> exactly (same summation order, one division).
/// Output must not overlap input. No allocation.</summary>
public static unsafe class PoolingF32
{
    public static void Max(int batch, int inH, int inW, int channels, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output, KernelPath? path = null)
        => Dispatch(true, path ?? KernelPaths.BestF32, batch, inH, inW, channels, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output);

    public static void Average(int batch, int inH, int inW, int channels, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output, KernelPath? path = null)
        => Dispatch(false, path ?? KernelPaths.BestF32, batch, inH, inW, channels, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output);

    private static void Dispatch(bool max, KernelPath path, int batch, int inH, int inW, int C, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output)
    {
        if (batch < 0 || inH < 0 || inW < 0 || C < 0 || kH <= 0 || kW <= 0 || strideH <= 0 || strideW <= 0 || outH < 0 || outW < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), "pooling: sizes must be >= 0, kernel/stride >= 1");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"pooling path {KernelPaths.Name(path)} is not supported on this machine");
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(max, batch, inH, inW, C, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(max, batch, inH, inW, C, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Generic<AdvSimdIsa, Vector128<float>>(max, batch, inH, inW, C, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Generic<AdvSimdModelIsa, Vector128<float>>(max, batch, inH, inW, C, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output); break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(max, batch, inH, inW, C, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output); break;
            default: Generic<ScalarIsa, float>(max, batch, inH, inW, C, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output); break;
        }
    }

    private static void Generic<TIsa, TV>(bool max, int batch, int inH, int inW, int C, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, cv = C - C % L;
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
            {
                int ih0 = oh * strideH - padTop, khLo = Math.Max(0, -ih0), khHi = Math.Min(kH, inH - ih0);
                for (int ow = 0; ow < outW; ow++)
                {
                    int iw0 = ow * strideW - padLeft, kwLo = Math.Max(0, -iw0), kwHi = Math.Min(kW, inW - iw0);
                    int count = Math.Max(0, khHi - khLo) * Math.Max(0, kwHi - kwLo);
                    float* o = output + (((long)n * outH + oh) * outW + ow) * C;
                    int c = 0;
                    for (; c < cv; c += L)
                    {
                        TV s = max ? TIsa.Broadcast(float.NegativeInfinity) : TIsa.Zero;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            float* row = input + (((long)n * inH + ih0 + kh) * inW + iw0) * C + c;
                            for (int kw = kwLo; kw < kwHi; kw++)
                            {
                                TV v = TIsa.Load(row + (long)kw * C);
                                s = max ? TIsa.Max(s, v) : TIsa.Add(s, v);
                            }
                        }
                        if (!max) s = count > 0 ? TIsa.Div(s, TIsa.Broadcast(count)) : TIsa.Zero;
                        TIsa.Store(o + c, s);
                    }
                    for (; c < C; c++)
                    {
                        float s = max ? float.NegativeInfinity : 0f;
                        for (int kh = khLo; kh < khHi; kh++)
                            for (int kw = kwLo; kw < kwHi; kw++)
                            {
                                float v = input[(((long)n * inH + ih0 + kh) * inW + iw0 + kw) * C + c];
                                s = max ? MathF.Max(s, v) : s + v;
                            }
                        o[c] = max ? s : count > 0 ? s / count : 0f;
                    }
                }
            }
    }
}
