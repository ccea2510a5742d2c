using System.Diagnostics;
using EdgeRuntime.Board.Audio;
using EdgeRuntime.Board.Gpio;
using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

public class RealtimeLoopTests
{
    [Fact]
    public void StepAllocatesNothing()
    {
        var monitor = new DeadlineMonitor(64);
        var loop = new RealtimeLoop(new GainProcessor(), new PluckedStringSource(), new NullSink(), monitor, new FakeGpioLine(), paced: false);
        loop.Start();
        AllocationAssert.NoAllocations(() =>
        {
            loop.Step();
            while (monitor.Ring.TryRead(out _)) { }
        }, warmup: 10, repeats: 2000);
    }

    [Fact]
    public void PacedLoopKeepsTheBlockClockAndMarksEachInference()
    {
        var gpio = new FakeGpioLine();
        var monitor = new DeadlineMonitor(1024);
        var p = new GainProcessor();
        var loop = new RealtimeLoop(p, new PluckedStringSource(), new NullSink(), monitor, gpio);
        var sw = Stopwatch.StartNew();
        long n = loop.Run(150); // 150 × 64 / 48 kHz = 200 ms
        double ms = sw.Elapsed.TotalMilliseconds;
        Assert.Equal(150, n);
        Assert.InRange(ms, 199, 300);
        Assert.Equal(150, gpio.Rises);
        Assert.Equal(150, gpio.Falls);
        Assert.False(gpio.High);
        Assert.Equal(150, monitor.Blocks);
        // Releases follow start + (k+1)·period exactly (computed from k: no drift).
        long k = 0;
        while (monitor.Ring.TryRead(out var r))
        {
            Assert.Equal(k, r.Index);
            Assert.Equal(loop.StartNs + (long)((k + 1) * loop.PeriodNs), r.ReleaseNs);
            Assert.True(r.StartNs >= r.ReleaseNs);
            Assert.Equal(r.ReleaseNs + (long)loop.PeriodNs, r.DeadlineNs);
            k++;
        }
        Assert.Equal(150, k);
    }

    [Fact]
    public void SlowModelMissesDeadlinesAndTheyAreCounted()
    {
        var monitor = new DeadlineMonitor(1024);
        // 2 ms per 1.33 ms block: every block after the first is late.
        var loop = new RealtimeLoop(new SpinProcessor(2000), new PluckedStringSource(), new NullSink(), monitor);
        loop.Run(40);
        Assert.True(monitor.Misses >= 39, $"misses {monitor.Misses}");
        var stats = new RunStatistics(48000);
        while (monitor.Ring.TryRead(out var r)) stats.Add(r);
        Assert.True(stats.TotalRtf < 1, $"RTF {stats.TotalRtf}");
        Assert.True(stats.MaxLatenessNs > 0);
    }

    [Fact]
    public void FullRingCountsDroppedAndNeverWaits()
    {
        var monitor = new DeadlineMonitor(4);
        var loop = new RealtimeLoop(new GainProcessor(), new PluckedStringSource(), new NullSink(), monitor, paced: false);
        var sw = Stopwatch.StartNew();
        loop.Run(100); // nobody drains
        Assert.True(sw.ElapsedMilliseconds < 1000);
        Assert.Equal(100, monitor.Blocks);
        Assert.Equal(96, monitor.Dropped);
        Assert.Equal(4, monitor.Ring.Count);
    }

    [Fact]
    public void FiniteSourceEndsWithAPartialBlock()
    {
        var ms = new MemoryStream();
        var data = Enumerable.Range(0, 150).Select(i => (float)i).ToArray();
        ms.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        ms.Position = 0;
        var outMs = new MemoryStream();
        var monitor = new DeadlineMonitor(16);
        var loop = new RealtimeLoop(new GainProcessor(), new RawFloatStreamSource(ms), new RawFloatStreamSink(outMs), monitor, paced: false);
        Assert.Equal(3, loop.Run(long.MaxValue));
        Assert.True(loop.SourceEnded);
        var got = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(outMs.ToArray()).ToArray();
        Assert.Equal(data.Select(v => v * 2), got);
    }
}
