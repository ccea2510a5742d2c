namespace EdgeRuntime.Bench;

/// <summary>A benchmark results file (<c>edgert bench --json</c>): read back by <c>edgert compare</c>.</summary>
public sealed class BenchResult
{
    public int SchemaVersion { get; set; } = 1;
    public string Model { get; set; } = "";
    public string Format { get; set; } = "";
    public string Timestamp { get; set; } = "";
    public MachineInfo Machine { get; set; } = new();
    /// <summary>Frames per run (streaming graphs: samples per block).</summary>
    public int Frames { get; set; }
    public double? RateHz { get; set; }
    public int Warmup { get; set; }
    public int Iterations { get; set; }
    public double MedianUs { get; set; }
    public double MeanUs { get; set; }
    public double StdUs { get; set; }
    public double P99Us { get; set; }
    public double MaxUs { get; set; }
    public double MinUs { get; set; }
    /// <summary>std / mean of the timed runs.</summary>
    public double Noise { get; set; }
    /// <summary>Signal time per run / median compute time; null without a rate.</summary>
    public double? Rtf { get; set; }
    /// <summary>Streaming models: RTF over whole passes of <see cref="AudioSeconds"/> of signal
    /// (median of repeats); this is what <see cref="Rtf"/> reports for them.</summary>
    public double? SustainedRtf { get; set; }
    public double? AudioSeconds { get; set; }
    public ModelFacts ModelFacts { get; set; } = new();
    public List<LayerProfile> Layers { get; set; } = new();
    public PeerResult? Peer { get; set; }
    public double? MaxAbsDiff { get; set; }
    /// <summary>Our median / peer median (below 1: we are faster).</summary>
    public double? Ratio { get; set; }
}

public sealed class ModelFacts
{
    public long Macs { get; set; }
    public long Params { get; set; }
    public long ArenaBytes { get; set; }
    public long ArenaLowerBoundBytes { get; set; }
    public long WeightsBytes { get; set; }
    public long PersistentBytes { get; set; }
    public int Ops { get; set; }
}

public sealed class LayerProfile
{
    public string Name { get; set; } = "";
    public string Op { get; set; } = "";
    public string Kernel { get; set; } = "";
    public double MedianUs { get; set; }
    /// <summary>Fraction of the summed per-layer time.</summary>
    public double Share { get; set; }
    public long Macs { get; set; }
    /// <summary>Bytes read and written (inputs, weights, outputs).</summary>
    public long Bytes { get; set; }
}

public sealed class PeerResult
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public int Threads { get; set; }
    public double MedianUs { get; set; }
    public double P99Us { get; set; }
    public double MaxUs { get; set; }
    public double? Rtf { get; set; }
}
