using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Conv;

/// <summary>int8 depthwise convolution, NHWC, depth multiplier 1, filter [kH, kW, C], int32 accumulators:
/// acc = bias[c] + Σ (x + inputOffset)·w, bit-exact with <see cref="DepthwiseConvReference.Int8"/>. Follow with
/// <see cref="Requant.Requantize"/> (<see cref="Requant.RoundingMode.Double"/>, TFLite DEPTHWISE_CONV_2D).
/// 8 channels per step: inputs widened to int16 plus the offset (range [−256, 255]), multiplied by the widened
/// weights into int32 (SXTL + SMLAL/SMLAL2 .4S on NEON; PMOVSXBW + PMADDWD-free PMULLD on x86 through
/// portable Vector128). Channel tails in scalar. acc must not overlap the inputs. No allocation.</summary>
public static unsafe class DepthwiseConvInt8
{
    public static void Run(int batch, int inH, int inW, int channels, sbyte* input, int inputOffset, int kH, int kW, sbyte* filter, int* bias,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW, int* acc)
    {
        if (batch < 0 || inH < 0 || inW < 0 || channels < 0 || kH <= 0 || kW <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0 || outH < 0 || outW < 0)
            throw new ArgumentOutOfRangeException(nameof(batch), "depthwise conv: sizes must be >= 0, kernel/stride/dilation >= 1");
        if (!Vector128.IsHardwareAccelerated)
        {
            DepthwiseConvReference.Int8(batch, inH, inW, channels, input, inputOffset, kH, kW, filter, bias, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW, acc);
            return;
        }
        int C = channels, cv = C & ~7;
        var off = Vector128.Create((short)inputOffset);
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
            {
                int ih0 = oh * strideH - padTop;
                int khLo = ih0 >= 0 ? 0 : (-ih0 + dilationH - 1) / dilationH;
                int khHi = Math.Min(kH, ih0 < inH ? (inH - ih0 + dilationH - 1) / dilationH : 0);
                for (int ow = 0; ow < outW; ow++)
                {
                    int iw0 = ow * strideW - padLeft;
                    int kwLo = iw0 >= 0 ? 0 : (-iw0 + dilationW - 1) / dilationW;
                    int kwHi = Math.Min(kW, iw0 < inW ? (inW - iw0 + dilationW - 1) / dilationW : 0);
                    int* o = acc + (((long)n * outH + oh) * outW + ow) * C;
                    int c = 0;
                    for (; c < cv; c += 8)
                    {
                        Vector128<int> s0 = bias != null ? Vector128.Load(bias + c) : default, s1 = bias != null ? Vector128.Load(bias + c + 4) : default;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            sbyte* row = input + (((long)n * inH + ih0 + kh * dilationH) * inW + iw0) * C + c;
                            sbyte* frow = filter + kh * kW * C + c;
                            for (int kw = kwLo; kw < kwHi; kw++)
                            {
                                var xv = Vector128.WidenLower(Vector64.Load(row + (long)kw * dilationW * C).ToVector128Unsafe()) + off;
                                var wv = Vector128.WidenLower(Vector64.Load(frow + kw * C).ToVector128Unsafe());
                                var (x0, x1) = Vector128.Widen(xv);
                                var (w0, w1) = Vector128.Widen(wv);
                                s0 += x0 * w0; s1 += x1 * w1;
                            }
                        }
                        s0.Store(o + c); s1.Store(o + c + 4);
                    }
                    for (; c < C; c++)
                    {
                        int s = bias != null ? bias[c] : 0;
                        for (int kh = khLo; kh < khHi; kh++)
                        {
                            sbyte* row = input + (((long)n * inH + ih0 + kh * dilationH) * inW + iw0) * C + c;
                            sbyte* frow = filter + kh * kW * C + c;
                            for (int kw = kwLo; kw < kwHi; kw++) s = unchecked(s + (row[(long)kw * dilationW * C] + inputOffset) * frow[kw * C]);
                        }
                        o[c] = s;
                    }
                }
            }
    }
}
