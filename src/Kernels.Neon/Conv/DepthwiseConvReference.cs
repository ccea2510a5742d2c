namespace EdgeRuntime.Kernels.Conv;

/// <summary>Scalar references for depthwise convolution, NHWC, depth multiplier 1, filter [kH, kW, C].
/// Output pixel (oh, ow) reads input (oh·strideH − padTop + kh·dilationH, ow·strideW − padLeft + kw·dilationW);
/// taps outside the input contribute nothing (zero padding; for int8 the padded value is the zero point,
/// i.e. (x + inputOffset) = 0).</summary>
public static unsafe class DepthwiseConvReference
{
    public static void F32(int batch, int inH, int inW, int channels, float* input, int kH, int kW, float* filter, float* bias,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW, float* output)
    {
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                    for (int c = 0; c < channels; c++)
                    {
                        float s = bias != null ? bias[c] : 0f;
                        for (int kh = 0; kh < kH; kh++)
                            for (int kw = 0; kw < kW; kw++)
                            {
                                int ih = oh * strideH - padTop + kh * dilationH, iw = ow * strideW - padLeft + kw * dilationW;
                                if ((uint)ih >= (uint)inH || (uint)iw >= (uint)inW) continue;
                                s += input[(((long)n * inH + ih) * inW + iw) * channels + c] * filter[(kh * kW + kw) * channels + c];
                            }
                        output[(((long)n * outH + oh) * outW + ow) * channels + c] = s;
                    }
    }

    /// <summary>int8 with int32 accumulators: acc = bias[c] + Σ (x + inputOffset)·w (wrapping). Follow with
    /// <see cref="Requant.Requantize"/> in <see cref="Requant.RoundingMode.Double"/> mode for TFLite DEPTHWISE_CONV_2D.</summary>
    public static void Int8(int batch, int inH, int inW, int channels, sbyte* input, int inputOffset, int kH, int kW, sbyte* filter, int* bias,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW, int* acc)
    {
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                    for (int c = 0; c < channels; c++)
                    {
                        int s = bias != null ? bias[c] : 0;
                        for (int kh = 0; kh < kH; kh++)
                            for (int kw = 0; kw < kW; kw++)
                            {
                                int ih = oh * strideH - padTop + kh * dilationH, iw = ow * strideW - padLeft + kw * dilationW;
                                if ((uint)ih >= (uint)inH || (uint)iw >= (uint)inW) continue;
                                s = unchecked(s + (input[(((long)n * inH + ih) * inW + iw) * channels + c] + inputOffset) * filter[(kh * kW + kw) * channels + c]);
                            }
                        acc[(((long)n * outH + oh) * outW + ow) * channels + c] = s;
                    }
    }
}
