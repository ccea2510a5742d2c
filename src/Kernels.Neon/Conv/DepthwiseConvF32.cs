using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Conv;

/// <summary>fp32 depthwise convolution (3×3 and general kernels, stride, dilation, zero padding), NHWC,
/// depth multiplier 1, filter [kH, kW, C] (TFLite's [1, kH, kW, C]). Same geometry as
/// <see cref="DepthwiseConvReference.F32"/>. Per output pixel, channels in widest vectors with one FMA per
/// valid tap; the tap window is clipped once per pixel. Output must not overlap input/filter/bias.
/// Agrees with the reference within |Δ| ≤ 2·(taps+2)·2^-24·Σ|x·w| (each lane sums in the same order, but
/// fused multiply-adds round differently).</summary>
public static unsafe class DepthwiseConvF32
{
    public static void Run(int batch, int inH, int inW, int channels, float* input, int kH, int kW, float* filter, float* bias,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW, float* output)
        => Run(KernelPaths.BestF32, batch, inH, inW, channels, input, kH, kW, filter, bias, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW, output);

    public static void Run(KernelPath path, int batch, int inH, int inW, int channels, float* input, int kH, int kW, float* filter, float* bias,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW, float* output)
    {
        if (batch < 0 || inH < 0 || inW < 0 || channels < 0 || kH <= 0 || kW <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0 || outH < 0 || outW < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), "depthwise conv: sizes must be >= 0, kernel/stride/dilation >= 1");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"depthwise conv path {KernelPaths.Name(path)} is not supported on this machine");
        var g = new Geometry(batch, inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW);
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(g, input, filter, bias, output); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(g, input, filter, bias, output); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Generic<AdvSimdIsa, Vector128<float>>(g, input, filter, bias, output); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Generic<AdvSimdModelIsa, Vector128<float>>(g, input, filter, bias, output); break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(g, input, filter, bias, output); break;
            default: Generic<ScalarIsa, float>(g, input, filter, bias, output); break;
        }
    }

    internal readonly record struct Geometry(int Batch, int InH, int InW, int C, int KH, int KW, int StrideH, int StrideW,
        int DilationH, int DilationW, int PadTop, int PadLeft, int OutH, int OutW);

    private static void Generic<TIsa, TV>(Geometry g, float* input, float* filter, float* bias, float* output)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, C = g.C, cv = C - C % L;
        for (int n = 0; n < g.Batch; n++)
            for (int oh = 0; oh < g.OutH; oh++)
            {
                int ih0 = oh * g.StrideH - g.PadTop;
                int khLo = ih0 >= 0 ? 0 : (-ih0 + g.DilationH - 1) / g.DilationH;
                int khHi = Math.Min(g.KH, ih0 < g.InH ? (g.InH - ih0 + g.DilationH - 1) / g.DilationH : 0);
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    int iw0 = ow * g.StrideW - g.PadLeft;
                    int kwLo = iw0 >= 0 ? 0 : (-iw0 + g.DilationW - 1) / g.DilationW;
                    int kwHi = Math.Min(g.KW, iw0 < g.InW ? (g.InW - iw0 + g.DilationW - 1) / g.DilationW : 0);
                    float* o = output + (((long)n * g.OutH + oh) * g.OutW + ow) * C;
                    int c = 0;
                    for (; c < cv; c += L)
                    {
                        TV acc = bias != null ? TIsa.Load(bias + c) : TIsa.Zero;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            float* row = input + (((long)n * g.InH + ih0 + kh * g.DilationH) * g.InW + iw0) * C + c;
                            float* frow = filter + kh * g.KW * C + c;
                            for (int kw = kwLo; kw < kwHi; kw++)
                                acc = TIsa.Fma(acc, TIsa.Load(row + (long)kw * g.DilationW * C), TIsa.Load(frow + kw * C));
                        }
                        TIsa.Store(o + c, acc);
                    }
                    for (; c < C; c++)
                    {
                        float acc = bias != null ? bias[c] : 0f;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            float* row = input + (((long)n * g.InH + ih0 + kh * g.DilationH) * g.InW + iw0) * C + c;
                            float* frow = filter + kh * g.KW * C + c;
                            for (int kw = kwLo; kw < kwHi; kw++)
                                acc = MathF.FusedMultiplyAdd(row[(long)kw * g.DilationW * C], frow[kw * C], acc);
                        }
                        o[c] = acc;
                    }
                }
            }
    }
}
