using System.Text.Json.Serialization;

namespace EdgeRuntime.Realtime;

/// <summary>One report frame: a JSON object on one line, sent once per second of signal. Percentiles
/// and <see cref="Rtf1s"/> cover the last second; <see cref="Rtf"/>, misses, dropped, lost and blocks
/// cover the run so far. Everything is nullable so the monitor can read frames from older or foreign
/// senders; null means unknown.</summary>
public sealed class ReportFrame
{
    public const int SchemaVersion = 1;

    public int? V { get; set; }
    public string? Board { get; set; }
    public long? Seq { get; set; }
    /// <summary>Signal seconds since the run started.</summary>
    public double? T { get; set; }
    /// <summary>Whole-run real-time factor so far (signal time / compute time).</summary>
    public double? Rtf { get; set; }
    [JsonPropertyName("rtf_1s")]
    public double? Rtf1s { get; set; }
    public double? P50Us { get; set; }
    public double? P99Us { get; set; }
    public double? P999Us { get; set; }
    public double? MaxUs { get; set; }
    public long? Misses { get; set; }
    /// <summary>Block records the reporter never saw (ring full).</summary>
    public long? Dropped { get; set; }
    /// <summary>Earlier frames this channel could not send.</summary>
    public long? Lost { get; set; }
    public long? Blocks { get; set; }
    public double? TempC { get; set; }
    public double? FreqMhz { get; set; }
    public string? Governor { get; set; }
    public long? Throttled { get; set; }
    public double? Load { get; set; }
    /// <summary>True on the frame sent when the run ends.</summary>
    public bool? Final { get; set; }
}
