namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Scalar reference for causal dilated 1-D convolution over time-major data.</summary>
public static unsafe class Conv1dReference
{
    /// <summary>y[t,o] = bias[o] + Σ_k Σ_i x[t − (kernel−1−k)·dilation, i]·w[k,i,o], t in [0, frames).
    /// x points at frame 0; the (kernel−1)·dilation frames before it are the causal history.</summary>
    public static void F32(int frames, int inChannels, int outChannels, int kernel, int dilation, float* x, float* w, float* bias, float* y)
    {
        for (int t = 0; t < frames; t++)
            for (int o = 0; o < outChannels; o++)
            {
                float s = bias != null ? bias[o] : 0f;
                for (int k = 0; k < kernel; k++)
                {
                    float* xr = x + (long)(t - (kernel - 1 - k) * dilation) * inChannels;
                    for (int i = 0; i < inChannels; i++) s += xr[i] * w[((long)k * inChannels + i) * outChannels + o];
                }
                y[(long)t * outChannels + o] = s;
            }
    }
}
