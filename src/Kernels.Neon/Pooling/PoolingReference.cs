namespace EdgeRuntime.Kernels.Pooling;

/// <summary>Scalar references for 2-D pooling, NHWC. Padding taps are excluded (average divides by the
/// number of valid taps, as TFLite and ONNX count_include_pad=0).</summary>
public static unsafe class PoolingReference
{
    public static void MaxF32(int batch, int inH, int inW, int channels, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output) => F32(true, batch, inH, inW, channels, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output);

    public static void AverageF32(int batch, int inH, int inW, int channels, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output) => F32(false, batch, inH, inW, channels, input, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, output);

    private static void F32(bool max, int batch, int inH, int inW, int C, float* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, float* output)
    {
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                    for (int c = 0; c < C; c++)
                    {
                        float s = max ? float.NegativeInfinity : 0f; int count = 0;
                        for (int kh = 0; kh < kH; kh++)
                            for (int kw = 0; kw < kW; kw++)
                            {
                                int ih = oh * strideH - padTop + kh, iw = ow * strideW - padLeft + kw;
                                if ((uint)ih >= (uint)inH || (uint)iw >= (uint)inW) continue;
                                float v = input[(((long)n * inH + ih) * inW + iw) * C + c];
                                s = max ? MathF.Max(s, v) : s + v; count++;
                            }
                        output[(((long)n * outH + oh) * outW + ow) * C + c] = max ? s : count > 0 ? s / count : 0f;
                    }
    }

    /// <summary>TFLite int8 AVERAGE_POOL_2D: rounded integer mean (half away from zero) of the valid taps, clamped.</summary>
    public static void AverageInt8(int batch, int inH, int inW, int C, sbyte* input, int kH, int kW, int strideH, int strideW,
        int padTop, int padLeft, int outH, int outW, int actMin, int actMax, sbyte* output)
    {
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                    for (int c = 0; c < C; c++)
                    {
                        int s = 0, count = 0;
                        for (int kh = 0; kh < kH; kh++)
                            for (int kw = 0; kw < kW; kw++)
                            {
                                int ih = oh * strideH - padTop + kh, iw = ow * strideW - padLeft + kw;
                                if ((uint)ih >= (uint)inH || (uint)iw >= (uint)inW) continue;
                                s += input[(((long)n * inH + ih) * inW + iw) * C + c]; count++;
                            }
                        int avg = count == 0 ? 0 : s > 0 ? (s + count / 2) / count : (s - count / 2) / count;
                        output[(((long)n * outH + oh) * outW + ow) * C + c] = (sbyte)Math.Clamp(avg, actMin, actMax);
                    }
    }
}
