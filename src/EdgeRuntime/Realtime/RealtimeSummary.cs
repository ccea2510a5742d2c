namespace EdgeRuntime.Realtime;

/// <summary>The end-of-run summary (<c>edgert demo --json</c>, <c>edgert run --realtime --json</c>).
/// Times are per-block compute times in microseconds; RTF = signal time / compute time.</summary>
public sealed class RealtimeSummary
{
    public string Model { get; set; } = "";
    public string Source { get; set; } = "";
    public string Sink { get; set; } = "";
    public string? Report { get; set; }
    public string Board { get; set; } = "";
    public double SampleRate { get; set; }
    public int BlockFrames { get; set; }
    public double DeadlineUs { get; set; }
    public double Seconds { get; set; }
    public long Blocks { get; set; }
    public double Rtf { get; set; }
    public double P50Us { get; set; }
    public double P99Us { get; set; }
    public double P999Us { get; set; }
    public double MaxUs { get; set; }
    public double MeanUs { get; set; }
    public long Misses { get; set; }
    public double MaxLatenessUs { get; set; }
    public long Dropped { get; set; }
    public long FramesSent { get; set; }
    public long FramesLost { get; set; }
    public string? ReportError { get; set; }
    public List<string> RealtimeSetup { get; set; } = new();
}
