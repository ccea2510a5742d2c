using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Cli;

namespace EdgeRuntime.Realtime.Monitor;

/// <summary><c>edgert monitor URI...</c>: the host-side viewer. Listens on UDP/TCP or reads serial ports,
/// keeps a live per-board table, logs frames as received (--jsonl, --csv), serves Prometheus metrics.</summary>
public sealed class MonitorCommand : ICommand
{
    public string Name => "monitor";
    public string Summary => "watch boards' real-time reports (udp/tcp/serial), log them, export Prometheus metrics";
    public string Usage => """
        usage: edgert monitor URI [URI...] [--jsonl FILE] [--csv FILE] [--prometheus HOST:PORT] [--seconds N] [--quiet]
          URI                udp://0.0.0.0:9000 | tcp://0.0.0.0:9000 | serial:///dev/ttyUSB0?baud=115200
          --jsonl FILE       append every frame line exactly as received
          --csv FILE         one CSV row per frame (with the receive time and sender)
          --prometheus H:P   serve the per-board figures in Prometheus text format (e.g. 127.0.0.1:9464)
          --seconds N        stop after N seconds (default: until Ctrl-C)
        """;

    public int Run(Args args)
    {
        var uris = args.Positional.ToList();
        if (uris.Count == 0) throw new UsageException("say where to listen, e.g. edgert monitor udp://0.0.0.0:9000");
        string? jsonl = args.Get("jsonl"), csv = args.Get("csv"), prom = args.Get("prometheus");
        double seconds = args.GetDouble("seconds", 0);
        bool quiet = args.Flag("quiet");
        args.EnsureAllUsed();
        return new MonitorSession(uris, jsonl, csv, prom, seconds, quiet, Console.Out).Run(CancellationToken.None);
    }
}
