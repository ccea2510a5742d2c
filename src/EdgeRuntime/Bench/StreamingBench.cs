using System.Diagnostics;
using EdgeRuntime.Execution;

namespace EdgeRuntime.Bench;

/// <summary>Real-time factor of a streaming model, measured the way the RTNeural peer figures were
/// (../shared/peers/rtneural.md): one thread, a fixed number of samples, reset before each run, the
/// median of repeats after a warm-up. RTF = audio seconds / compute seconds (higher is better).</summary>
public static class StreamingBench
{
    /// <summary>The benchmark input of ../shared/conformance/rtneural/bench: 0.5·sin(2π·220·n/48000)
    /// plus 0.25·uniform noise from a 32-bit LCG (s = s·1664525 + 1013904223, seed 12345).</summary>
    public static float[] BenchSignal(int samples, int sampleRate = 48000)
    {
        var x = new float[samples];
        uint s = 12345;
        for (int n = 0; n < samples; n++)
        {
            s = unchecked(s * 1664525u + 1013904223u);
            double u = (s >> 8) / 16777216.0 * 2 - 1;
            x[n] = (float)(0.5 * Math.Sin(2 * Math.PI * 220 * n / sampleRate) + 0.25 * u);
        }
        return x;
    }

    /// <summary>Process <paramref name="samples"/> frames in blocks of <paramref name="block"/> (1 =
    /// <see cref="StreamingSession.Process(float)"/> per sample), <paramref name="repeats"/> times after a
    /// warm-up run, and return the median RTF. Buffers are allocated before timing starts.</summary>
    public static double MeasureRtf(StreamingSession s, int sampleRate, int samples, int block, int repeats = 3)
    {
        if (sampleRate <= 0 || samples <= 0 || block <= 0 || repeats <= 0)
            throw new ArgumentOutOfRangeException(nameof(block), "sample rate, samples, block and repeats must be positive");
        int cin = s.InputChannels, cout = s.OutputChannels;
        var mono = BenchSignal(samples, sampleRate);
        var x = new float[samples * cin];
        for (int n = 0; n < samples; n++)
            for (int c = 0; c < cin; c++) x[n * cin + c] = mono[n];
        var y = new float[samples * cout];
        var times = new double[repeats];
        Run(s, x, y, samples, block, cin, cout); // warm-up (JIT, caches, branch predictors)
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Run(s, x, y, samples, block, cin, cout);
            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(times);
        double median = repeats % 2 == 1 ? times[repeats / 2] : 0.5 * (times[repeats / 2 - 1] + times[repeats / 2]);
        return samples / (double)sampleRate / Math.Max(median, 1e-9);
    }

    private static void Run(StreamingSession s, float[] x, float[] y, int samples, int block, int cin, int cout)
    {
        s.Reset();
        if (block == 1 && cin == 1 && cout >= 1)
        {
            for (int n = 0; n < samples; n++) y[n * cout] = s.Process(x[n]);
            return;
        }
        for (int pos = 0; pos < samples; pos += block)
        {
            int n = Math.Min(block, samples - pos);
            s.Process(x.AsSpan(pos * cin, n * cin), y.AsSpan(pos * cout, n * cout));
        }
    }
}
