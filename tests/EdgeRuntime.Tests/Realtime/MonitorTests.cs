using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EdgeRuntime.Realtime;
using EdgeRuntime.Realtime.Monitor;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Realtime;

public class MonitorTests(ITestOutputHelper output)
{
    private static string Frame(string board, long seq, double rtf = 50, double p99 = 20) =>
        Encoding.UTF8.GetString(Reporter.Serialize(new ReportFrame
        {
            V = 1, Board = board, Seq = seq, T = seq, Rtf = rtf, Rtf1s = rtf, P50Us = 10, P99Us = p99, P999Us = p99, MaxUs = p99 * 2,
            Misses = 0, Dropped = 0, Lost = 0, Blocks = seq * 750, TempC = 55.5, FreqMhz = 1500, Governor = "ondemand", Throttled = 0,
        })).TrimEnd('\n');

    [Theory]
    [InlineData("garbage")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"v\":\"one\",\"seq\":1}")]
    [InlineData("{\"v\":1,\"seq\":1e400}")]
    [InlineData("\u0000\u0001\u0002")]
    public void MalformedFramesAreCountedNeverThrown(string line)
    {
        var t = new BoardTable();
        Assert.Null(t.Ingest("peer", line));
        Assert.Equal(1, t.Malformed);
        Assert.Empty(t.Snapshot());
        Assert.NotNull(t.Ingest("peer", Frame("a", 1)));
        Assert.Single(t.Snapshot());
    }

    [Fact]
    public void TracksSeveralBoardsGapsRestartsAndWorstRtf()
    {
        var t = new BoardTable();
        t.Ingest("10.0.0.1:5000", Frame("a", 1, rtf: 40));
        t.Ingest("10.0.0.2:5000", Frame("b", 1));
        t.Ingest("10.0.0.1:5000", Frame("a", 2, rtf: 12, p99: 90));
        t.Ingest("10.0.0.1:5000", Frame("a", 5, rtf: 30));   // 3 and 4 missing
        t.Ingest("10.0.0.1:5000", Frame("a", 1, rtf: 35));   // board restarted
        var s = t.Snapshot();
        Assert.Equal(["a", "b"], s.Select(b => b.Board));
        var a = s[0];
        Assert.Equal(2, a.SeqGaps);
        Assert.Equal(1, a.Restarts);
        Assert.Equal(12, a.WorstRtf);
        Assert.Equal(90, a.WorstP99Us);
        Assert.Equal(4, a.Frames);
        string view = MonitorView.Render(s, t, DateTime.UtcNow);
        output.WriteLine(view);
        Assert.Contains("a ", view);
        Assert.Contains("55.5", view);
    }

    [Fact]
    public void CsvRowsHaveOneColumnPerHeaderField()
    {
        var f = Reporter.Parse(Encoding.UTF8.GetBytes(Frame("board,with \"comma\"", 3)))!;
        string row = MonitorView.CsvRow(DateTime.UnixEpoch, "1.2.3.4:5", f);
        int cols = Regex.Matches(row + ",", "(\"([^\"]|\"\")*\"|[^,]*),").Count;
        Assert.Equal(MonitorView.CsvHeader.Split(',').Length, cols);
    }

    private static readonly Regex s_sample = new(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{board=""([^""\\]|\\.)*""\})? (-?[0-9.]+(e[-+]?[0-9]+)?|[+-]Inf|NaN)$", RegexOptions.IgnoreCase);

    [Fact]
    public void PrometheusTextIsWellFormed()
    {
        var t = new BoardTable();
        t.Ingest("p", Frame("pi-1", 1));
        t.Ingest("p", Frame("pi \"2\"", 1));
        string text = PrometheusExporter.Render(t);
        var typed = new HashSet<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ")) { var parts = line.Split(' '); Assert.Contains(parts[3], new[] { "gauge", "counter" }); Assert.True(typed.Add(parts[2])); continue; }
            if (line.StartsWith("# HELP ")) continue;
            Assert.Matches(s_sample, line);
            string name = line[..line.IndexOfAny(['{', ' '])];
            Assert.Contains(name, typed);
        }
        Assert.Contains("edgert_rtf{board=\"pi-1\"} 50", text);
        string p99 = text.Split('\n').Single(l => l.StartsWith("edgert_block_p99_seconds{board=\"pi-1\"} "));
        Assert.Equal(20e-6, double.Parse(p99[(p99.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Contains("board=\"pi \\\"2\\\"\"", text);
        Assert.EndsWith("\n", text);
        PromtoolCheck(text);
    }

    private void PromtoolCheck(string text)
    {
        string? promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            output.WriteLine("promtool check SKIPPED: promtool is not installed (Debian package 'prometheus')");
            return;
        }
        var psi = new ProcessStartInfo(promtool, "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(text);
        p.StandardInput.Close();
        string err = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        output.WriteLine(err);
        Assert.True(p.ExitCode == 0, err);
    }

    [Fact]
    public void PrometheusListenerAnswersHttpGet()
    {
        var t = new BoardTable();
        t.Ingest("p", Frame("pi-1", 7));
        using var exp = new PrometheusExporter(new IPEndPoint(IPAddress.Loopback, 0), t);
        exp.Start();
        using var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        c.Connect(exp.LocalEndpoint);
        c.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        var ms = new MemoryStream();
        var buf = new byte[4096];
        int n;
        while ((n = c.Receive(buf)) > 0) ms.Write(buf, 0, n);
        string resp = Encoding.UTF8.GetString(ms.ToArray());
        Assert.StartsWith("HTTP/1.0 200 OK", resp);
        Assert.Contains("text/plain; version=0.0.4", resp);
        Assert.Contains("edgert_frames_received_total{board=\"pi-1\"} 1", resp);
    }

    [Fact]
    public void MonitorSessionCountsMalformedDatagramsAndLogsGoodFramesAsReceived()
    {
        string dir = Directory.CreateTempSubdirectory("edgert-mon").FullName;
        string jsonl = Path.Combine(dir, "out.jsonl"), csv = Path.Combine(dir, "out.csv");
        var mon = new MonitorSession(["udp://127.0.0.1:0"], jsonl, csv, null, 0, quiet: true, TextWriter.Null);
        using var cts = new CancellationTokenSource();
        var th = new Thread(() => mon.Run(cts.Token));
        th.Start();
        Assert.True(mon.Listening.Wait(10_000));
        var ep = ((EdgeRuntime.Board.Reporting.UdpLineReceiver)mon.Receivers[0]).LocalEndpoint;
        using var tx = new UdpClient();
        string good1 = Frame("b1", 1), good2 = Frame("b2", 1);
        tx.Send(Encoding.UTF8.GetBytes(good1 + "\n"), ep);
        tx.Send("this is not json\n"u8.ToArray(), ep);
        tx.Send(new byte[] { 0xff, 0xfe, 0x00, (byte)'\n' }, ep);
        tx.Send(Encoding.UTF8.GetBytes(good2 + "\n"), ep);
        var sw = Stopwatch.StartNew();
        while (mon.Table.Received < 4 && sw.ElapsedMilliseconds < 10_000) Thread.Sleep(20);
        cts.Cancel();
        th.Join();
        Assert.Equal(2, mon.Table.Malformed);
        Assert.Equal(2, mon.Table.Snapshot().Count);
        Assert.Equal([good1, good2], File.ReadAllLines(jsonl));
        Assert.Equal(3, File.ReadAllLines(csv).Length);
        Directory.Delete(dir, true);
    }
}
