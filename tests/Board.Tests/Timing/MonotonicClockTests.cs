using EdgeRuntime.Board.Timing;

namespace EdgeRuntime.Board.Tests.Timing;

public class MonotonicClockTests
{
    [Fact]
    public void SleepUntilNeverWakesEarly()
    {
        for (int i = 0; i < 20; i++)
        {
            long deadline = MonotonicClock.NowNs() + 2_000_000;
            MonotonicClock.SleepUntil(deadline);
            Assert.True(MonotonicClock.NowNs() >= deadline);
        }
    }

    [Fact]
    public void PastDeadlineReturnsAtOnce()
    {
        long t0 = MonotonicClock.NowNs();
        MonotonicClock.SleepUntil(t0 - 1_000_000_000);
        Assert.True(MonotonicClock.NowNs() - t0 < 50_000_000);
    }

    [Fact]
    public void AbsolutePacingDoesNotDrift()
    {
        // 200 ticks of 1 ms each computed from the start: the last tick is 200 ms after start
        // however long each iteration took (a relative sleep would add up the overshoots).
        long start = MonotonicClock.NowNs();
        for (int k = 1; k <= 200; k++)
        {
            MonotonicClock.SleepUntil(start + k * 1_000_000L);
            Thread.SpinWait(200);
        }
        double ms = (MonotonicClock.NowNs() - start) / 1e6;
        Assert.InRange(ms, 200, 230);
    }

    [Fact]
    public void ClockMatchesStopwatch()
    {
        long a = MonotonicClock.NowNs();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Thread.Sleep(50);
        long b = MonotonicClock.NowNs();
        Assert.InRange((b - a) / 1e6, sw.Elapsed.TotalMilliseconds - 5, sw.Elapsed.TotalMilliseconds + 5);
    }
}
