namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Plan-time weight layout for <see cref="TapConvF32"/> (see <see cref="TapConv"/>).</summary>
public static class TapConvPacking
{
    /// <summary>Floats of a packed buffer: (rows + 1 bias row) × ldw.</summary>
    public static int Floats(int ldw, int cin, int kernel, int extra) => checked((kernel * cin + extra + 1) * ldw);

    /// <summary>Pack w [n, cin/groups, kernel] (PyTorch Conv1d order; grouped convs are expanded with zeros),
    /// the optional extra 1×1 weights [n, extra/extraGroups, 1] and bias [n] into dst (<see cref="Floats"/> long).</summary>
    public static void Pack(Span<float> dst, int ldw, ReadOnlySpan<float> w, int n, int cin, int kernel, int groups,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> extraW = default, int extra = 0, int extraGroups = 1)
    {
        if (n < 1 || ldw < n || kernel < 1 || cin < 0 || extra < 0 || groups < 1 || extraGroups < 1
            || cin % groups != 0 || n % groups != 0 || extra % extraGroups != 0 || n % extraGroups != 0)
            throw new ArgumentException($"tap conv packing: n={n} ldw={ldw} cin={cin} kernel={kernel} groups={groups} extra={extra}/{extraGroups}");
        int cig = cin / groups, cog = n / groups;
        if (w.Length < n * cig * kernel || dst.Length < Floats(ldw, cin, kernel, extra)
            || extra > 0 && extraW.Length < n * (extra / extraGroups) || !bias.IsEmpty && bias.Length < n)
            throw new ArgumentException("tap conv packing: a buffer is shorter than its shape");
        dst[..Floats(ldw, cin, kernel, extra)].Clear();
        for (int o = 0; o < n; o++)
        {
            int g = o / cog;
            for (int j = 0; j < cig; j++)
                for (int k = 0; k < kernel; k++)
                    dst[(k * cin + g * cig + j) * ldw + o] = w[(o * cig + j) * kernel + k];
        }
        if (extra > 0)
        {
            int eig = extra / extraGroups, eog = n / extraGroups;
            for (int o = 0; o < n; o++)
            {
                int g = o / eog;
                for (int j = 0; j < eig; j++) dst[(kernel * cin + g * eig + j) * ldw + o] = extraW[o * eig + j];
            }
        }
        if (!bias.IsEmpty)
            for (int o = 0; o < n; o++) dst[(kernel * cin + extra) * ldw + o] = bias[o];
    }
}
