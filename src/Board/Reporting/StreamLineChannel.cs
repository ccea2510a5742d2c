namespace EdgeRuntime.Board.Reporting;

/// <summary>Shared logic for byte-stream channels (TCP, serial) on non-blocking descriptors: a line that
/// is only partly written keeps its tail in a pending buffer finished by <see cref="Pump"/>; while a tail
/// is pending, new frames are lost whole, so the receiver only ever sees complete lines.</summary>
public abstract class StreamLineChannel : IReportChannel
{
    private readonly byte[] _pending = new byte[64 * 1024];
    private int _pendingStart, _pendingEnd;

    public abstract string Description { get; }
    public long Sent { get; protected set; }
    public long Lost { get; protected set; }
    public string? LastError { get; protected set; }
    /// <summary>Bytes waiting for the link.</summary>
    public int PendingBytes => _pendingEnd - _pendingStart;

    /// <summary>Write what the link takes now: bytes written (0 = would block), or -1 when the link
    /// broke (the implementation records why and closes).</summary>
    protected abstract int WriteSome(ReadOnlySpan<byte> data);

    /// <summary>Whether the link is up (connected/open); when false frames are lost.</summary>
    protected abstract bool IsReady { get; }

    /// <summary>Called by <see cref="Pump"/> before flushing (reconnection for TCP).</summary>
    protected virtual void Maintain() { }

    public bool Send(ReadOnlySpan<byte> line)
    {
        Maintain();
        if (!IsReady) { Lost++; return false; }
        if (PendingBytes > 0) Flush();
        if (PendingBytes > 0 || !IsReady || line.Length > _pending.Length) { Lost++; return false; }
        int n = WriteSome(line);
        if (n < 0) { Lost++; ClearPending(); return false; }
        if (n < line.Length)
        {
            line[n..].CopyTo(_pending);
            _pendingStart = 0;
            _pendingEnd = line.Length - n;
        }
        Sent++;
        return true;
    }

    public void Pump()
    {
        Maintain();
        if (IsReady && PendingBytes > 0) Flush();
    }

    private void Flush()
    {
        while (PendingBytes > 0)
        {
            int n = WriteSome(_pending.AsSpan(_pendingStart, PendingBytes));
            if (n < 0) { ClearPending(); return; }
            if (n == 0) return;
            _pendingStart += n;
        }
        ClearPending();
    }

    protected void ClearPending() => _pendingStart = _pendingEnd = 0;

    public abstract void Dispose();
}
