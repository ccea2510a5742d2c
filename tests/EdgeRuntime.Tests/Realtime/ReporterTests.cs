using System.Text;
using System.Text.Json;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Board.Thermal;
using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

public class ReporterTests
{
    private static void Feed(DeadlineMonitor m, int blocks, long computeNs, long startIndex = 0, int lateEvery = 0)
    {
        long period = 1_333_333;
        for (long k = startIndex; k < startIndex + blocks; k++)
        {
            long release = (k + 1) * period;
            long end = release + computeNs + (lateEvery > 0 && k % lateEvery == 0 ? period : 0);
            m.Record(new BlockRecord(k, 64, release, end - computeNs, end, release + period));
        }
    }

    [Fact]
    public void OneFramePerSecondOfSignalWithConsecutiveSeqAndAllFields()
    {
        var m = new DeadlineMonitor(4096);
        var ms = new MemoryStream();
        var ch = new StdoutReportChannel(ms);
        var frames = new List<ReportFrame>();
        var r = new Reporter(m, 48000, "pi-test", ch, new BoardStateReader("/nonexistent-root")) { OnFrame = frames.Add };
        Feed(m, 1500, 10_000, lateEvery: 100); // 2 s of signal, 10 us per block
        r.Drain();
        Assert.Equal(2, frames.Count);
        Feed(m, 100, 10_000, startIndex: 1500);
        r.Finish(); // partial third second → final frame
        Assert.Equal(3, frames.Count);
        Assert.Equal([1L, 2L, 3L], frames.Select(f => f.Seq!.Value));
        Assert.True(frames[2].Final);
        Assert.Null(frames[0].Final);
        double expectedRtf = 64 / 48000.0 / 10e-6; // 133.333
        Assert.Equal(Math.Round(expectedRtf, 3), frames[0].Rtf);
        Assert.Equal(10.0, frames[0].P50Us);
        Assert.Equal(10.0, frames[0].MaxUs);
        Assert.Equal(1.0, frames[0].T);
        Assert.Equal(750, frames[0].Blocks);
        Assert.Equal(15, frames[0].Misses); // the real-time counter as of the drain: all 15 late blocks (0, 100, ..., 1400)
        Assert.Null(frames[0].TempC);

        var lines = Encoding.UTF8.GetString(ms.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var doc = JsonDocument.Parse(lines[0]);
        foreach (var field in new[] { "v", "board", "seq", "t", "rtf", "p50_us", "p99_us", "p999_us", "max_us", "misses", "dropped", "blocks", "temp_c", "freq_mhz", "governor", "throttled" })
            Assert.True(doc.RootElement.TryGetProperty(field, out _), $"frame lacks '{field}'");
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("temp_c").ValueKind);
        Assert.Equal("pi-test", doc.RootElement.GetProperty("board").GetString());
        Assert.DoesNotContain('\n', lines[0]);

        var s = r.Summarize(64);
        Assert.Equal(frames[^1].Rtf, s.Rtf);
        Assert.Equal(1600, s.Blocks);
        Assert.Equal(15, s.Misses);
    }

    [Fact]
    public void MissesInFramesComeFromTheRealtimeCounters()
    {
        var m = new DeadlineMonitor(4096);
        var frames = new List<ReportFrame>();
        var r = new Reporter(m, 48000, "b") { OnFrame = frames.Add };
        Feed(m, 750, 2_000_000); // every block over its 1.33 ms deadline
        r.Drain();
        Assert.Single(frames);
        Assert.Equal(750, frames[0].Misses);
        Assert.True(frames[0].Rtf < 1);
    }

    [Fact]
    public void FrameRoundTripsThroughTheParser()
    {
        var f = new ReportFrame { V = 1, Board = "x", Seq = 5, Rtf = 12.5, Throttled = 0x50005, Governor = "ondemand" };
        var line = Reporter.Serialize(f);
        Assert.Equal((byte)'\n', line[^1]);
        var back = Reporter.Parse(line.AsSpan(0, line.Length - 1))!;
        Assert.Equal(5, back.Seq);
        Assert.Equal(12.5, back.Rtf);
        Assert.Equal(0x50005, back.Throttled);
        Assert.Equal("ondemand", back.Governor);
    }
}
