using EdgeRuntime.Board.Interop;

namespace EdgeRuntime.Board.Timing;

/// <summary>CLOCK_MONOTONIC in nanoseconds and absolute-deadline sleeps (<c>clock_nanosleep</c> with
/// <c>TIMER_ABSTIME</c>), so a paced loop computes every wake-up from its start time and never drifts.
/// Allocation-free.</summary>
public static unsafe class MonotonicClock
{
    public static long NowNs()
    {
        Libc.Timespec ts;
        Libc.ClockGettime(Libc.CLOCK_MONOTONIC, &ts);
        return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
    }

    /// <summary>Sleep until CLOCK_MONOTONIC reaches <paramref name="deadlineNs"/> (returns at once if it
    /// already has). Restarts after signals.</summary>
    public static void SleepUntil(long deadlineNs)
    {
        Libc.Timespec ts;
        ts.Seconds = deadlineNs / 1_000_000_000L;
        ts.Nanoseconds = deadlineNs % 1_000_000_000L;
        if (ts.Nanoseconds < 0) return;
        int rc;
        do rc = Libc.ClockNanosleep(Libc.CLOCK_MONOTONIC, Libc.TIMER_ABSTIME, &ts, null);
        while (rc == Errno.EINTR);
    }
}
