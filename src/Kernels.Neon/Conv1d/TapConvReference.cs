namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Scalar reference for <see cref="TapConvF32"/>, on the unpacked (PyTorch-order) weights.</summary>
public static unsafe class TapConvReference
{
    /// <summary>y[t, o] = add[t, o] + bias[o] + Σ_k Σ_j x[t − d(K−1−k), g·cig + j]·w[o, j, k] + Σ_j e[t, ge·eig + j]·we[o, j]
    /// (g, ge: the groups of output o), summed in double, for t &lt; frames, o &lt; n.</summary>
    public static void F32(int frames, int n, int cin, int kernel, int dilation, int groups, float* w, float* bias,
        float* x, int ldx, int extra, int extraGroups, float* we, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        int cig = cin / groups, cog = n / groups;
        int eig = extra > 0 ? extra / extraGroups : 0, eog = n / extraGroups;
        for (int t = 0; t < frames; t++)
            for (int o = 0; o < n; o++)
            {
                double s = (add != null ? add[(long)t * ldAdd + o] : 0) + (bias != null ? bias[o] : 0);
                int g = o / cog;
                for (int k = 0; k < kernel; k++)
                {
                    float* xr = x + ((long)t - (long)(kernel - 1 - k) * dilation) * ldx + g * cig;
                    for (int j = 0; j < cig; j++) s += (double)xr[j] * w[((long)o * cig + j) * kernel + k];
                }
                if (extra > 0)
                {
                    float* er = e + (long)t * lde + o / eog * eig;
                    for (int j = 0; j < eig; j++) s += (double)er[j] * we[(long)o * eig + j];
                }
                y[(long)t * ldy + o] = (float)s;
            }
    }
}
