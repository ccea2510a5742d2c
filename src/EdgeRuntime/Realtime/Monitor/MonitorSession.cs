using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Cli;

namespace EdgeRuntime.Realtime.Monitor;

/// <summary>One run of the monitor (separate from the command so tests can drive it).</summary>
public sealed class MonitorSession
{
    private readonly List<string> _uris;
    private readonly string? _jsonl, _csv, _prom;
    private readonly double _seconds;
    private readonly bool _quiet;
    private readonly TextWriter _out;

    public MonitorSession(List<string> uris, string? jsonl, string? csv, string? prometheus, double seconds, bool quiet, TextWriter output)
    {
        _uris = uris;
        _jsonl = jsonl;
        _csv = csv;
        _prom = prometheus;
        _seconds = seconds;
        _quiet = quiet;
        _out = output;
    }

    public BoardTable Table { get; } = new();
    /// <summary>Set once every receiver is listening (tests wait for it).</summary>
    public ManualResetEventSlim Listening { get; } = new();
    public IReadOnlyList<ILineReceiver> Receivers => _receivers;
    public PrometheusExporter? Exporter { get; private set; }
    private readonly List<ILineReceiver> _receivers = new();

    public int Run(CancellationToken cancel)
    {
        var queue = new ConcurrentQueue<(DateTime At, string Peer, string Line)>();
        StreamWriter? jsonl = null, csv = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            foreach (var u in _uris)
            {
                ILineReceiver r;
                try { r = ReportUri.Parse(u).OpenReceiver(); }
                catch (ReportChannelException e) { throw new UsageException(e.Message); }
                _receivers.Add(r);
            }
            if (_jsonl is not null) jsonl = new StreamWriter(_jsonl, append: true) { AutoFlush = false };
            if (_csv is not null)
            {
                bool fresh = !File.Exists(_csv) || new FileInfo(_csv).Length == 0;
                csv = new StreamWriter(_csv, append: true);
                if (fresh) csv.WriteLine(MonitorView.CsvHeader);
            }
            if (_prom is not null)
            {
                Exporter = new PrometheusExporter(ParseHostPort(_prom), Table);
                Exporter.Start();
            }
            foreach (var r in _receivers) r.Start((peer, line) => queue.Enqueue((DateTime.UtcNow, peer, line)));
            if (!_quiet)
            {
                _out.WriteLine($"edgert monitor: listening on {string.Join(", ", _receivers.Select(r => r.Description))}"
                    + (Exporter is null ? "" : $"; Prometheus metrics on http://{Exporter.LocalEndpoint}/metrics"));
            }
            Listening.Set();

            var started = DateTime.UtcNow;
            var nextView = started.AddSeconds(1);
            while (!stop.IsCancellationRequested && (_seconds <= 0 || (DateTime.UtcNow - started).TotalSeconds < _seconds))
            {
                Pump(queue, jsonl, csv);
                if (!_quiet && DateTime.UtcNow >= nextView)
                {
                    nextView = nextView.AddSeconds(1);
                    _out.WriteLine(MonitorView.Render(Table.Snapshot(), Table, DateTime.UtcNow));
                    _out.WriteLine();
                }
                stop.Token.WaitHandle.WaitOne(50);
            }
            // Let receivers finish what is in flight, then take the rest.
            Thread.Sleep(100);
            Pump(queue, jsonl, csv);
            if (!_quiet) _out.WriteLine(MonitorView.Render(Table.Snapshot(), Table, DateTime.UtcNow));
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            foreach (var r in _receivers) r.Dispose();
            Exporter?.Dispose();
            jsonl?.Dispose();
            csv?.Dispose();
        }
    }

    private void Pump(ConcurrentQueue<(DateTime At, string Peer, string Line)> queue, StreamWriter? jsonl, StreamWriter? csv)
    {
        bool any = false;
        while (queue.TryDequeue(out var item))
        {
            any = true;
            var f = Table.Ingest(item.Peer, item.Line, item.At);
            if (f is null) continue;
            jsonl?.WriteLine(item.Line);
            csv?.WriteLine(MonitorView.CsvRow(item.At, item.Peer, f));
        }
        if (any) { jsonl?.Flush(); csv?.Flush(); }
    }

    public static IPEndPoint ParseHostPort(string s)
    {
        int colon = s.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(s[..colon].Trim('[', ']'), out var ip) ||
            !int.TryParse(s.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 0 or > 65535)
            throw new UsageException($"--prometheus expects IP:PORT (e.g. 127.0.0.1:9464), got '{s}'");
        return new IPEndPoint(ip, port);
    }
}
