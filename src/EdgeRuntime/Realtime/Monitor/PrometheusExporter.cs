using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeRuntime.Realtime.Monitor;

/// <summary>Serves the board table in the Prometheus text exposition format (version 0.0.4) on a
/// minimal HTTP/1.0 listener built on sockets: any GET answers with the metrics.</summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly Socket _listener;
    private readonly BoardTable _table;
    private Thread? _thread;
    private volatile bool _stop;

    public PrometheusExporter(IPEndPoint bind, BoardTable table)
    {
        _table = table;
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(bind);
        _listener.Listen(8);
        LocalEndpoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndpoint { get; }
    public long Requests { get; private set; }

    public void Start()
    {
        _thread = new Thread(Serve) { Name = "monitor-prometheus", IsBackground = true };
        _thread.Start();
    }

    private void Serve()
    {
        var buf = new byte[4096];
        while (!_stop)
        {
            Socket c;
            try
            {
                if (!_listener.Poll(200_000, SelectMode.SelectRead)) continue;
                c = _listener.Accept();
            }
            catch (SocketException) { continue; }
            catch (ObjectDisposedException) { return; }
            using (c)
            {
                try
                {
                    c.ReceiveTimeout = 1000;
                    c.SendTimeout = 1000;
                    int n = 0;
                    // Read the request head (we answer every path the same way).
                    while (n < buf.Length)
                    {
                        int got = c.Receive(buf, n, buf.Length - n, SocketFlags.None);
                        if (got <= 0) break;
                        n += got;
                        if (buf.AsSpan(0, n).IndexOf("\r\n\r\n"u8) >= 0 || buf.AsSpan(0, n).IndexOf("\n\n"u8) >= 0) break;
                    }
                    byte[] body = Encoding.UTF8.GetBytes(Render(_table));
                    string head = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n" +
                                  $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                    c.Send(Encoding.ASCII.GetBytes(head));
                    c.Send(body);
                    Requests++;
                }
                catch (SocketException) { }
            }
        }
    }

    private static string Label(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>The exposition text: one HELP/TYPE block per metric, one sample per board.</summary>
    public static string Render(BoardTable table)
    {
        var ci = CultureInfo.InvariantCulture;
        var boards = table.Snapshot();
        var sb = new StringBuilder();
        void Metric(string name, string type, string help, Func<BoardView, double?> value)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var b in boards)
                if (value(b) is double v && !double.IsNaN(v))
                    sb.Append(name).Append("{board=\"").Append(Label(b.Board)).Append("\"} ")
                      .Append(double.IsPositiveInfinity(v) ? "+Inf" : v.ToString("R", ci)).Append('\n');
        }
        Metric("edgert_rtf", "gauge", "Real-time factor over the last second (signal time / compute time).", b => b.Last!.Rtf1s ?? b.Last!.Rtf);
        Metric("edgert_rtf_run", "gauge", "Real-time factor over the whole run so far.", b => b.Last!.Rtf);
        Metric("edgert_rtf_worst", "gauge", "Lowest one-second real-time factor seen by this monitor.", b => b.WorstRtf);
        Metric("edgert_block_p50_seconds", "gauge", "Median block compute time over the last second.", b => b.Last!.P50Us * 1e-6);
        Metric("edgert_block_p99_seconds", "gauge", "99th percentile block compute time over the last second.", b => b.Last!.P99Us * 1e-6);
        Metric("edgert_block_p999_seconds", "gauge", "99.9th percentile block compute time over the last second.", b => b.Last!.P999Us * 1e-6);
        Metric("edgert_block_max_seconds", "gauge", "Longest block compute time over the last second.", b => b.Last!.MaxUs * 1e-6);
        Metric("edgert_deadline_misses_total", "counter", "Blocks that finished after their deadline.", b => b.Last!.Misses);
        Metric("edgert_records_dropped_total", "counter", "Block records dropped on the board because the ring was full.", b => b.Last!.Dropped);
        Metric("edgert_frames_lost_total", "counter", "Report frames the board could not send.", b => b.Last!.Lost);
        Metric("edgert_blocks_total", "counter", "Blocks processed.", b => b.Last!.Blocks);
        Metric("edgert_frames_received_total", "counter", "Report frames received from this board.", b => b.Frames);
        Metric("edgert_frame_seq_gaps_total", "counter", "Report frames missing in the sequence numbers received.", b => b.SeqGaps);
        Metric("edgert_cpu_temperature_celsius", "gauge", "CPU temperature.", b => b.Last!.TempC);
        Metric("edgert_cpu_frequency_hertz", "gauge", "Current CPU frequency.", b => b.Last!.FreqMhz * 1e6);
        Metric("edgert_throttled_flags", "gauge", "Raspberry Pi firmware throttling flags (get_throttled).", b => b.Last!.Throttled);
        sb.Append("# HELP edgert_monitor_malformed_frames_total Lines the monitor could not read as frames.\n");
        sb.Append("# TYPE edgert_monitor_malformed_frames_total counter\n");
        sb.Append("edgert_monitor_malformed_frames_total ").Append(table.Malformed.ToString(ci)).Append('\n');
        return sb.ToString();
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
        _listener.Dispose();
    }
}
