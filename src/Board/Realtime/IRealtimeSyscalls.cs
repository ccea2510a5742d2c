namespace EdgeRuntime.Board.Realtime;

/// <summary>The three calls real-time setup makes; each returns 0 or an errno value. Faked in tests.</summary>
public interface IRealtimeSyscalls
{
    int MaxFifoPriority();
    /// <summary>SCHED_FIFO at <paramref name="priority"/> for the calling thread.</summary>
    int SetFifo(int priority);
    /// <summary>Pin the calling thread to <paramref name="cpus"/>.</summary>
    int SetAffinity(ReadOnlySpan<int> cpus);
    /// <summary>mlockall(MCL_CURRENT | MCL_FUTURE).</summary>
    int LockAllMemory();
}
