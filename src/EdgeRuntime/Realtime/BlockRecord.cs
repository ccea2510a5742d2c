namespace EdgeRuntime.Realtime;

/// <summary>What the real-time thread measured for one block (all times CLOCK_MONOTONIC ns).</summary>
public readonly record struct BlockRecord(
    long Index,
    int Frames,
    /// <summary>When the block was due to be available (the paced clock's tick).</summary>
    long ReleaseNs,
    long StartNs,
    long EndNs,
    /// <summary>When the block had to be done: the next block's release.</summary>
    long DeadlineNs)
{
    public long ComputeNs => EndNs - StartNs;
    /// <summary>Positive when the block finished after its deadline.</summary>
    public long LatenessNs => EndNs - DeadlineNs;
    public bool Missed => EndNs > DeadlineNs;
}
