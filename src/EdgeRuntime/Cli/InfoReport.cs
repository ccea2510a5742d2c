namespace EdgeRuntime.Cli;

/// <summary><c>edgert info --json</c>: sizes, costs and the operator list of a compiled model.</summary>
public sealed class InfoReport
{
    public string Model { get; init; } = "";
    public string Format { get; init; } = "";
    public string GraphName { get; init; } = "";
    public long ArenaBytes { get; init; }
    public long ArenaLowerBoundBytes { get; init; }
    public long WeightsBytes { get; init; }
    /// <summary>Largest scratch block any one operator uses (planned inside the arena).</summary>
    public long ScratchBytes { get; init; }
    public long PersistentBytes { get; init; }
    public long TotalNativeBytes { get; init; }
    public long Macs { get; init; }
    public long Params { get; init; }
    public string Planner { get; init; } = "";
    public string[] RequiredIsa { get; init; } = [];
    public string[] MachineIsa { get; init; } = [];
    public bool Streaming { get; init; }
    public int MaxFrames { get; init; }
    public double? SampleRate { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = new();
    public double LoadMillis { get; init; }
    public InfoTensor[] Inputs { get; init; } = [];
    public InfoTensor[] Outputs { get; init; } = [];
    public InfoOperator[] Operators { get; init; } = [];
}
