using System.Runtime.InteropServices;
using EdgeRuntime.Board.Interop;

namespace EdgeRuntime.Board.Realtime;

/// <summary>sched_setscheduler / sched_setaffinity / mlockall on Linux.</summary>
public sealed unsafe class LinuxRealtimeSyscalls : IRealtimeSyscalls
{
    public int MaxFifoPriority()
    {
        int p = Libc.SchedGetPriorityMax(Libc.SCHED_FIFO);
        return p < 0 ? 99 : p;
    }

    public int SetFifo(int priority)
    {
        int param = priority;
        return Libc.SchedSetscheduler(0, Libc.SCHED_FIFO, &param) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public int SetAffinity(ReadOnlySpan<int> cpus)
    {
        const int bytes = 128; // cpu_set_t: 1024 CPUs
        byte* mask = stackalloc byte[bytes];
        new Span<byte>(mask, bytes).Clear();
        foreach (int c in cpus)
        {
            if ((uint)c >= bytes * 8) return Errno.EINVAL;
            mask[c >> 3] |= (byte)(1 << (c & 7));
        }
        return Libc.SchedSetaffinity(0, bytes, mask) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public int LockAllMemory() =>
        Libc.Mlockall(Libc.MCL_CURRENT | Libc.MCL_FUTURE) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
