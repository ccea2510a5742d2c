using System.Diagnostics;
using System.Text.Json;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Board.Serial;
using EdgeRuntime.Execution;
using EdgeRuntime.Passes;
using EdgeRuntime.Realtime;
using EdgeRuntime.Realtime.Monitor;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Realtime;

/// <summary>The demo's path (placeholder model, synth source, paced at 48 kHz / 64) reporting to a
/// monitor on loopback UDP and over a pseudo-terminal pair; stalled channels vs none.</summary>
[Collection("realtime-timing")]
public class EndToEndTests(ITestOutputHelper output)
{
    private static RealtimeOptions Options(double seconds, string? report) => new()
    {
        Seconds = seconds, Report = report, Priority = null, LockMemory = false, Quiet = true, BoardId = "e2e-board",
    };

    private static RealtimeSummary RunDemo(RealtimeOptions o, IReportChannel? channel = null)
    {
        using var s = new Session(Compiler.Compile(DemoModel.PassThrough(), new CompileOptions { MaxFrames = 64 }));
        var p = new SessionBlockProcessor(s, 48000);
        return RealtimeRunner.RunToSummary(p, "placeholder", o, TextWriter.Null, TextWriter.Null, channelOverride: channel);
    }

    private List<ReportFrame> CheckLog(string jsonl, RealtimeSummary summary, int expectedFrames)
    {
        var lines = File.ReadAllLines(jsonl);
        output.WriteLine(string.Join("\n", lines));
        var frames = lines.Select(l => Reporter.Parse(System.Text.Encoding.UTF8.GetBytes(l))!).ToList();
        Assert.Equal(expectedFrames, frames.Count);
        Assert.Equal(Enumerable.Range(1, expectedFrames).Select(i => (long?)i), frames.Select(f => f.Seq));
        Assert.All(frames, f => Assert.Equal("e2e-board", f.Board));
        Assert.Equal(summary.Rtf, frames[^1].Rtf);
        Assert.Equal(summary.Blocks, frames[^1].Blocks);
        Assert.Equal(summary.Misses, frames[^1].Misses);
        Assert.Equal(Enumerable.Range(1, expectedFrames).Select(i => (double?)i), frames.Select(f => f.T));
        return frames;
    }

    private static (MonitorSession Mon, Thread Thread, CancellationTokenSource Cts) StartMonitor(string uri, string jsonl)
    {
        var mon = new MonitorSession([uri], jsonl, null, null, 0, quiet: true, TextWriter.Null);
        var cts = new CancellationTokenSource();
        var th = new Thread(() => mon.Run(cts.Token));
        th.Start();
        Assert.True(mon.Listening.Wait(10_000));
        return (mon, th, cts);
    }

    [Fact]
    public void DemoReportsToMonitorOverUdp()
    {
        string jsonl = Path.Combine(Directory.CreateTempSubdirectory("edgert-e2e").FullName, "out.jsonl");
        var (mon, th, cts) = StartMonitor("udp://127.0.0.1:0", jsonl);
        var ep = ((UdpLineReceiver)mon.Receivers[0]).LocalEndpoint;
        var summary = RunDemo(Options(3, $"udp://{ep}"));
        Thread.Sleep(300);
        cts.Cancel();
        th.Join();
        output.WriteLine(JsonSerializer.Serialize(summary, RealtimeJsonContext.Indented.RealtimeSummary));
        Assert.Equal(2250, summary.Blocks);
        Assert.Equal(3, summary.FramesSent);
        Assert.Equal(0, summary.FramesLost);
        CheckLog(jsonl, summary, 3);
        Assert.Equal(0, mon.Table.Malformed);
        Assert.Equal(0, mon.Table.Snapshot()[0].SeqGaps);
    }

    [Fact]
    public void DemoReportsToMonitorOverSerialPtyAt115200()
    {
        // Board → pty A (slave, serial://) ; bridge copies master A → master B ; monitor reads pty B's slave.
        using var a = PseudoTerminal.Open();
        using var b = PseudoTerminal.Open();
        using var stop = new CancellationTokenSource();
        var bridge = new Thread(() =>
        {
            var buf = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                int n = a.ReadMaster(buf);
                if (n > 0) { int off = 0; while (off < n) { int w = b.WriteMaster(buf.AsSpan(off, n - off)); if (w > 0) off += w; else Thread.Sleep(1); } }
                else Thread.Sleep(5);
            }
        }) { IsBackground = true };
        bridge.Start();
        string jsonl = Path.Combine(Directory.CreateTempSubdirectory("edgert-e2e").FullName, "out.jsonl");
        var (mon, th, cts) = StartMonitor($"serial://{b.SlavePath}?baud=115200", jsonl);
        var summary = RunDemo(Options(3, $"serial://{a.SlavePath}?baud=115200"));
        Thread.Sleep(500);
        cts.Cancel();
        th.Join();
        stop.Cancel();
        bridge.Join();
        Assert.Equal(3, summary.FramesSent);
        Assert.Equal(0, summary.FramesLost);
        CheckLog(jsonl, summary, 3);
        Assert.Equal(0, mon.Table.Malformed);
    }

    /// <summary>A channel whose every send hangs (a wedged link): only the reporter thread waits.</summary>
    private sealed class StalledChannel(int stallMs) : IReportChannel
    {
        public string Description => "stalled";
        public long Sent { get; private set; }
        public long Lost => 0;
        public string? LastError => null;
        public bool Send(ReadOnlySpan<byte> line) { Thread.Sleep(stallMs); Sent++; return true; }
        public void Pump() { }
        public void Dispose() { }
    }

    [Fact]
    public void StalledChannelDoesNotDisturbTheRealtimeLoop()
    {
        var o = Options(3, null);
        var baseline = RunDemo(o);
        o.RingCapacity = 512; // < 1 s of records: the stalled reporter lets it fill
        var sw = Stopwatch.StartNew();
        var stalled = RunDemo(o, new StalledChannel(1500));
        output.WriteLine($"no channel:      p50 {baseline.P50Us} us, p99 {baseline.P99Us} us, max {baseline.MaxUs} us, misses {baseline.Misses}");
        output.WriteLine($"stalled channel: p50 {stalled.P50Us} us, p99 {stalled.P99Us} us, max {stalled.MaxUs} us, misses {stalled.Misses}, dropped {stalled.Dropped}, wall {sw.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(2250, stalled.Blocks);       // every block ran
        Assert.True(stalled.Dropped > 0);          // the full ring dropped records instead of waiting
        Assert.True(stalled.P99Us < 1333, $"p99 {stalled.P99Us} us exceeds the 1333 us deadline");
    }
}
