namespace EdgeRuntime.Realtime.Monitor;

/// <summary>What the monitor knows about one board: its latest frame and what it has seen so far.</summary>
public sealed class BoardView
{
    public BoardView(string board) => Board = board;

    public string Board { get; }
    public string Peer { get; set; } = "";
    public ReportFrame? Last { get; set; }
    public long Frames { get; set; }
    /// <summary>Frames missing between received sequence numbers.</summary>
    public long SeqGaps { get; set; }
    /// <summary>Times the sequence went backwards (the board restarted).</summary>
    public long Restarts { get; set; }
    /// <summary>Frames that repeated an already-seen sequence number.</summary>
    public long Duplicates { get; set; }
    /// <summary>Lowest one-second RTF seen (the worst).</summary>
    public double? WorstRtf { get; set; }
    public double? WorstP99Us { get; set; }
    public DateTime LastSeenUtc { get; set; }
}
