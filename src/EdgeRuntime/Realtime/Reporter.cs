using System.Text.Json;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Board.Thermal;

namespace EdgeRuntime.Realtime;

/// <summary>The reporter thread: drains the deadline monitor's ring, keeps rolling (one second of
/// signal) and whole-run statistics, and once per second builds a <see cref="ReportFrame"/> with the
/// board's state, sends it on the channel and hands it to <see cref="OnFrame"/>. All I/O happens here,
/// never on the real-time thread.</summary>
public sealed class Reporter : IDisposable
{
    private static readonly RealtimeJsonContext s_compact = RealtimeJsonContext.Default;

    private readonly DeadlineMonitor _monitor;
    private readonly IReportChannel? _channel;
    private readonly BoardStateReader? _state;
    private readonly long _framesPerReport;
    private Thread? _thread;
    private volatile bool _stop;
    private long _seq;
    private readonly object _statsLock = new();

    public Reporter(DeadlineMonitor monitor, double sampleRateHz, string boardId, IReportChannel? channel = null,
        BoardStateReader? state = null, double reportEverySeconds = 1.0)
    {
        _monitor = monitor;
        _channel = channel;
        _state = state;
        BoardId = boardId;
        Stats = new RunStatistics(sampleRateHz);
        _framesPerReport = Math.Max(1, (long)Math.Round(reportEverySeconds * sampleRateHz));
    }

    public string BoardId { get; }
    public RunStatistics Stats { get; }
    public IReportChannel? Channel => _channel;
    /// <summary>Called on the reporter thread for each frame (live line printing).</summary>
    public Action<ReportFrame>? OnFrame { get; set; }
    public long FramesBuilt => _seq;

    public void Start()
    {
        _thread = new Thread(Loop) { Name = "edgert-reporter", IsBackground = true };
        _thread.Start();
    }

    private void Loop()
    {
        while (!_stop)
        {
            Drain();
            _channel?.Pump();
            Thread.Sleep(5);
        }
    }

    /// <summary>Consume every queued record; emits frames at each second of signal.</summary>
    public void Drain()
    {
        lock (_statsLock)
        {
            while (_monitor.Ring.TryRead(out var r))
            {
                Stats.Add(r);
                if (Stats.WindowFrames >= _framesPerReport) Emit(final: false);
            }
        }
    }

    /// <summary>Stop the thread, drain what is left, send a final frame for any partial second.</summary>
    public void Finish()
    {
        _stop = true;
        _thread?.Join();
        _thread = null;
        lock (_statsLock)
        {
            while (_monitor.Ring.TryRead(out var r))
            {
                Stats.Add(r);
                if (Stats.WindowFrames >= _framesPerReport) Emit(final: false);
            }
            if (Stats.WindowFrames > 0) Emit(final: true);
        }
        // Give stream channels a moment to flush a pending tail.
        for (int i = 0; i < 20 && _channel is StreamLineChannel s && s.PendingBytes > 0; i++)
        {
            _channel.Pump();
            Thread.Sleep(5);
        }
    }

    private static double? Us(long ns) => Math.Round(ns / 1000.0, 1);
    public static double? RoundRtf(double rtf) => double.IsFinite(rtf) ? Math.Round(rtf, 3) : null;

    private void Emit(bool final)
    {
        var s = Stats;
        var board = _state?.Read();
        var f = new ReportFrame
        {
            V = ReportFrame.SchemaVersion,
            Board = BoardId,
            Seq = ++_seq,
            T = Math.Round(s.TotalSignalSeconds, 3),
            Rtf = RoundRtf(s.TotalRtf),
            Rtf1s = RoundRtf(s.WindowRtf),
            P50Us = Us(s.Window.Percentile(0.50)),
            P99Us = Us(s.Window.Percentile(0.99)),
            P999Us = Us(s.Window.Percentile(0.999)),
            MaxUs = Us(s.Window.MaxNs),
            Misses = _monitor.Misses,
            Dropped = _monitor.Dropped,
            Lost = _channel?.Lost ?? 0,
            Blocks = s.Total.Count,
            TempC = board?.TempC is double t ? Math.Round(t, 1) : null,
            FreqMhz = board?.FreqMhz,
            Governor = board?.Governor,
            Throttled = board?.Throttled,
            Load = board?.Load1,
            Final = final ? true : null,
        };
        s.ResetWindow();
        if (_channel is not null)
        {
            byte[] line = Serialize(f);
            _channel.Send(line);
        }
        OnFrame?.Invoke(f);
    }

    /// <summary>The frame as one UTF-8 JSON line ending in '\n'.</summary>
    public static byte[] Serialize(ReportFrame f)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(f, s_compact.ReportFrame);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    public static ReportFrame? Parse(ReadOnlySpan<byte> line) => JsonSerializer.Deserialize(line, s_compact.ReportFrame);

    /// <summary>The run's summary from the whole-run statistics (call after <see cref="Finish"/>).</summary>
    public RealtimeSummary Summarize(double blockFrames)
    {
        var s = Stats;
        var t = s.Total;
        return new RealtimeSummary
        {
            Board = BoardId,
            SampleRate = s.SampleRateHz,
            BlockFrames = (int)blockFrames,
            DeadlineUs = Math.Round(blockFrames / s.SampleRateHz * 1e6, 1),
            Seconds = Math.Round(s.TotalSignalSeconds, 3),
            Blocks = _monitor.Blocks,
            Rtf = RoundRtf(s.TotalRtf) ?? 0,
            P50Us = Us(t.Percentile(0.50)) ?? 0,
            P99Us = Us(t.Percentile(0.99)) ?? 0,
            P999Us = Us(t.Percentile(0.999)) ?? 0,
            MaxUs = Us(t.MaxNs) ?? 0,
            MeanUs = t.Count > 0 ? Math.Round(t.SumNs / 1000.0 / t.Count, 1) : 0,
            Misses = _monitor.Misses,
            MaxLatenessUs = s.MaxLatenessNs == long.MinValue ? 0 : Math.Round(s.MaxLatenessNs / 1000.0, 1),
            Dropped = _monitor.Dropped,
            FramesSent = _channel?.Sent ?? 0,
            FramesLost = _channel?.Lost ?? 0,
            ReportError = _channel?.LastError,
        };
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join();
    }
}
