namespace EdgeRuntime.Realtime;

/// <summary>The real-time side of the deadline monitor: counts blocks and misses and hands each
/// <see cref="BlockRecord"/> to the reporter thread through an SPSC ring; a full ring counts the record
/// as dropped and never waits. <see cref="Record"/> allocates nothing and takes no lock.</summary>
public sealed class DeadlineMonitor
{
    private long _blocks, _misses, _dropped;

    public DeadlineMonitor(int ringCapacity = 4096) => Ring = new SpscRing<BlockRecord>(ringCapacity);

    public SpscRing<BlockRecord> Ring { get; }
    public long Blocks => Volatile.Read(ref _blocks);
    public long Misses => Volatile.Read(ref _misses);
    /// <summary>Records the reporter never saw because the ring was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    public void Record(in BlockRecord r)
    {
        if (r.Missed) Volatile.Write(ref _misses, _misses + 1);
        if (!Ring.TryWrite(r)) Volatile.Write(ref _dropped, _dropped + 1);
        Volatile.Write(ref _blocks, _blocks + 1);
    }
}
