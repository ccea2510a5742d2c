namespace EdgeRuntime.Realtime;

/// <summary>Consumer-side statistics over block records: a rolling window (reset by the caller, one
/// second of signal in the reporter) and the whole run. RTF = signal time / compute time.</summary>
public sealed class RunStatistics
{
    public RunStatistics(double sampleRateHz) => SampleRateHz = sampleRateHz;

    public double SampleRateHz { get; }
    public LatencyHistogram Window { get; } = new();
    public LatencyHistogram Total { get; } = new();
    public long WindowFrames { get; private set; }
    public long TotalFrames { get; private set; }
    public long WindowMisses { get; private set; }
    public long TotalMisses { get; private set; }
    public long MaxLatenessNs { get; private set; } = long.MinValue;

    public void Add(in BlockRecord r)
    {
        long c = r.ComputeNs;
        Window.Record(c);
        Total.Record(c);
        WindowFrames += r.Frames;
        TotalFrames += r.Frames;
        if (r.Missed) { WindowMisses++; TotalMisses++; }
        if (r.LatenessNs > MaxLatenessNs) MaxLatenessNs = r.LatenessNs;
    }

    public void ResetWindow()
    {
        Window.Clear();
        WindowFrames = 0;
        WindowMisses = 0;
    }

    public double WindowSignalSeconds => WindowFrames / SampleRateHz;
    public double TotalSignalSeconds => TotalFrames / SampleRateHz;

    public static double Rtf(long frames, double rate, long computeNs) =>
        computeNs <= 0 ? (frames > 0 ? double.PositiveInfinity : 0) : frames / rate / (computeNs * 1e-9);

    public double WindowRtf => Rtf(WindowFrames, SampleRateHz, Window.SumNs);
    public double TotalRtf => Rtf(TotalFrames, SampleRateHz, Total.SumNs);
}
