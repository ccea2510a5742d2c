namespace EdgeRuntime.Board.Reporting;

/// <summary>Carries report frames (one JSON object per line) off the board. Used only by the reporter
/// thread, never by the real-time thread. <see cref="Send"/> never waits long: a frame that cannot go
/// now is counted in <see cref="Lost"/> and dropped whole (lines are never cut).</summary>
public interface IReportChannel : IDisposable
{
    string Description { get; }
    /// <summary>Hand over one complete line (ending in '\n'); false when it was lost.</summary>
    bool Send(ReadOnlySpan<byte> line);
    /// <summary>Move pending bytes, reconnect when due. Called by the reporter thread between frames.</summary>
    void Pump();
    /// <summary>Frames handed to the operating system.</summary>
    long Sent { get; }
    /// <summary>Frames that could not be sent (receiver absent, link too slow, peer gone).</summary>
    long Lost { get; }
    /// <summary>The most recent error, for the summary; null when none.</summary>
    string? LastError { get; }
}
