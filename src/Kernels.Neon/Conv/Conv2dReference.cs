namespace EdgeRuntime.Kernels.Conv;

/// <summary>Scalar reference for 2-D convolution, NCHW, one group, weights [cout][cin][kh][kw] (ONNX OIHW).
/// Output (m, oh, ow) reads input (c, oh·strideH − padTop + i·dilationH, ow·strideW − padLeft + j·dilationW);
/// taps outside the input contribute nothing. Sums in double, rounds once.</summary>
public static unsafe class Conv2dReference
{
    public static void F32(int cin, int inH, int inW, float* x, int cout, int kh, int kw, float* w, float* bias,
        int strideH, int strideW, int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW, float* y)
    {
        for (int m = 0; m < cout; m++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                {
                    double s = bias != null ? bias[m] : 0.0;
                    for (int c = 0; c < cin; c++)
                        for (int i = 0; i < kh; i++)
                        {
                            int ih = oh * strideH - padTop + i * dilationH;
                            if ((uint)ih >= (uint)inH) continue;
                            for (int j = 0; j < kw; j++)
                            {
                                int iw = ow * strideW - padLeft + j * dilationW;
                                if ((uint)iw >= (uint)inW) continue;
                                s += (double)x[((long)c * inH + ih) * inW + iw] * w[((long)(m * cin + c) * kh + i) * kw + j];
                            }
                        }
                    y[((long)m * outH + oh) * outW + ow] = (float)s;
                }
    }
}
