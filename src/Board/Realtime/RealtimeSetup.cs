using EdgeRuntime.Board.Interop;

namespace EdgeRuntime.Board.Realtime;

/// <summary>Asks for SCHED_FIFO, CPU affinity and locked memory for the calling thread. Each is tried
/// on its own and reported granted or denied with the errno reason; none is ever fatal.</summary>
public sealed class RealtimeSetup
{
    private readonly IRealtimeSyscalls _sys;

    public RealtimeSetup(IRealtimeSyscalls? syscalls = null) => _sys = syscalls ?? new LinuxRealtimeSyscalls();

    /// <param name="fifoPriority">SCHED_FIFO priority, or null to leave the scheduler alone; capped at the system maximum.</param>
    /// <param name="cpus">CPUs to pin to, or null/empty to leave affinity alone.</param>
    /// <param name="lockMemory">mlockall(MCL_CURRENT|MCL_FUTURE).</param>
    public IReadOnlyList<RealtimeSetupResult> Apply(int? fifoPriority, IReadOnlyList<int>? cpus, bool lockMemory)
    {
        var results = new List<RealtimeSetupResult>();
        if (fifoPriority is int prio)
        {
            int max = Safe(_sys.MaxFifoPriority, 99);
            int p = Math.Clamp(prio, 1, Math.Max(1, max));
            int err = SafeCall(() => _sys.SetFifo(p));
            results.Add(err == 0
                ? new("SCHED_FIFO", true, $"priority {p}")
                : new("SCHED_FIFO", false, $"priority {p}: {Reason(err)}"));
        }
        if (cpus is { Count: > 0 })
        {
            int[] list = cpus.ToArray();
            int err = SafeCall(() => _sys.SetAffinity(list));
            string which = "CPU " + string.Join(",", list);
            results.Add(err == 0 ? new("affinity", true, which) : new("affinity", false, $"{which}: {Reason(err)}"));
        }
        if (lockMemory)
        {
            int err = SafeCall(_sys.LockAllMemory);
            results.Add(err == 0 ? new("mlockall", true, "current and future pages locked") : new("mlockall", false, Reason(err)));
        }
        return results;
    }

    private static string Reason(int err) => err switch
    {
        Errno.EPERM => Errno.Describe(err) + "; needs root, CAP_SYS_NICE/CAP_IPC_LOCK or an rtprio/memlock limit",
        Errno.ENOMEM => Errno.Describe(err) + "; RLIMIT_MEMLOCK too low",
        Errno.EINVAL => Errno.Describe(err) + "; CPU or priority not available here",
        -1 => "native call unavailable on this system",
        _ => Errno.Describe(err),
    };

    private static int SafeCall(Func<int> f)
    {
        try { return f(); }
        catch (DllNotFoundException) { return -1; }
        catch (EntryPointNotFoundException) { return -1; }
    }

    private static int Safe(Func<int> f, int dflt)
    {
        int r = SafeCall(f);
        return r <= 0 ? dflt : r;
    }
}
