namespace EdgeRuntime.Bench;

/// <summary>Summary statistics of timing samples (microseconds).</summary>
public sealed record TimingStats(double MedianUs, double MeanUs, double StdUs, double P99Us, double MaxUs, double MinUs, int Samples)
{
    public static TimingStats Of(ReadOnlySpan<double> samplesUs)
    {
        if (samplesUs.Length == 0) return new(0, 0, 0, 0, 0, 0, 0);
        var s = samplesUs.ToArray();
        Array.Sort(s);
        double mean = 0;
        foreach (var v in s) mean += v;
        mean /= s.Length;
        double var = 0;
        foreach (var v in s) var += (v - mean) * (v - mean);
        double std = s.Length > 1 ? Math.Sqrt(var / (s.Length - 1)) : 0;
        return new(Percentile(s, 0.5), mean, std, Percentile(s, 0.99), s[^1], s[0], s.Length);
    }

    /// <summary>Linear-interpolated percentile of sorted data, q in [0,1].</summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 1) return sorted[0];
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>Coefficient of variation (std / mean), the noise figure we report.</summary>
    public double NoiseFraction => MeanUs > 0 ? StdUs / MeanUs : 0;
}
