using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeRuntime.Board.Reporting;

namespace EdgeRuntime.Board.Tests.Reporting;

public class ReportChannelTests
{
    private static byte[] Line(int seq) => Encoding.ASCII.GetBytes($"{{\"v\":1,\"board\":\"t\",\"seq\":{seq}}}\n");

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    [Theory]
    [InlineData("udp://127.0.0.1:9000", "udp", 9000)]
    [InlineData("tcp://127.0.0.1:9100/", "tcp", 9100)]
    public void ParsesSocketUris(string text, string scheme, int port)
    {
        var u = ReportUri.Parse(text);
        Assert.Equal(scheme, u.Scheme);
        Assert.Equal(port, u.Endpoint!.Port);
    }

    [Fact]
    public void ParsesSerialAndStdout()
    {
        var u = ReportUri.Parse("serial:///dev/ttyAMA0?baud=9600");
        Assert.Equal(("serial", "/dev/ttyAMA0", 9600), (u.Scheme, u.DevicePath, u.Baud));
        Assert.Equal(115200, ReportUri.Parse("serial:///dev/ttyUSB0").Baud);
        Assert.Equal("stdout", ReportUri.Parse("stdout").Scheme);
    }

    [Theory]
    [InlineData("9000")]
    [InlineData("http://x:1")]
    [InlineData("udp://127.0.0.1")]
    [InlineData("udp://127.0.0.1:99999")]
    [InlineData("serial://ttyS0")]
    [InlineData("serial:///dev/ttyS0?parity=odd")]
    public void RejectsBadUris(string text) => Assert.Throws<ReportChannelException>(() => ReportUri.Parse(text));

    [Fact]
    public void UdpToAbsentReceiverCountsLossesAndNeverThrows()
    {
        using var ch = new UdpReportChannel(new IPEndPoint(IPAddress.Loopback, FreeUdpPort()));
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 50; i++) { ch.Send(Line(i)); Thread.Sleep(1); }
        Assert.True(sw.ElapsedMilliseconds < 2000);
        Assert.Equal(50, ch.Sent + ch.Lost);
        Assert.True(ch.Lost > 0, "ICMP port-unreachable must show up as lost frames");
        Assert.Contains("absent", ch.LastError);
    }

    [Fact]
    public void UdpFramesReachAReceiver()
    {
        using var rx = new UdpLineReceiver(new IPEndPoint(IPAddress.Loopback, 0));
        var lines = new List<string>();
        rx.Start((_, l) => { lock (lines) lines.Add(l); });
        using var ch = new UdpReportChannel(rx.LocalEndpoint);
        for (int i = 1; i <= 5; i++) Assert.True(ch.Send(Line(i)));
        for (int i = 0; i < 100 && lines.Count < 5; i++) Thread.Sleep(10);
        lock (lines) Assert.Equal(Enumerable.Range(1, 5).Select(i => Encoding.ASCII.GetString(Line(i)).TrimEnd('\n')), lines);
    }

    [Fact]
    public void TcpPeerClosingMidRunIsCountedAndReconnected()
    {
        int port = FreeTcpPort();
        var ep = new IPEndPoint(IPAddress.Loopback, port);
        var listener = new TcpLineReceiver(ep);
        var lines = new List<string>();
        listener.Start((_, l) => { lock (lines) lines.Add(l); });
        using var ch = new TcpReportChannel(ep);
        for (int i = 0; i < 50 && !ch.Connected; i++) { ch.Pump(); Thread.Sleep(10); }
        Assert.True(ch.Connected);
        for (int i = 1; i <= 3; i++) { Assert.True(ch.Send(Line(i))); ch.Pump(); }
        for (int i = 0; i < 100 && lines.Count < 3; i++) Thread.Sleep(10);
        Assert.Equal(3, lines.Count);

        listener.Dispose(); // the peer goes away mid-run
        double worst = 0;
        for (int i = 4; i <= 40; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            ch.Send(Line(i));
            worst = Math.Max(worst, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Thread.Sleep(10);
        }
        Assert.True(ch.Disconnects >= 1);
        Assert.True(ch.Lost > 0);
        Assert.True(worst < 1000, $"Send blocked {worst:0.0} ms");

        // The peer comes back: the channel reconnects (backoff ≤ 5 s) and frames flow again.
        using var again = new TcpLineReceiver(ep);
        var lines2 = new List<string>();
        again.Start((_, l) => { lock (lines2) lines2.Add(l); });
        var sw = Stopwatch.StartNew();
        while (!ch.Connected && sw.ElapsedMilliseconds < 8000) { ch.Pump(); Thread.Sleep(20); }
        Assert.True(ch.Connected, "channel should reconnect");
        Assert.True(ch.Send(Line(99)));
        for (int i = 0; i < 100 && lines2.Count < 1; i++) { ch.Pump(); Thread.Sleep(10); }
        Assert.Contains(lines2, l => l.Contains("\"seq\":99"));
        Assert.True(ch.Connects >= 2);
    }

    [Fact]
    public void TcpWithNoListenerLosesFramesQuickly()
    {
        using var ch = new TcpReportChannel(new IPEndPoint(IPAddress.Loopback, FreeTcpPort()));
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++) { ch.Send(Line(i)); Thread.Sleep(5); }
        Assert.True(sw.ElapsedMilliseconds < 2000);
        Assert.Equal(20, ch.Lost);
        Assert.False(ch.Connected);
    }

    [Fact]
    public void LineSplitterHandlesPiecesCrlfAndOverlongLines()
    {
        var got = new List<string>();
        var s = new LineSplitter(got.Add, maxLineBytes: 8);
        s.Feed("ab"u8);
        s.Feed("c\r\n\nde"u8);
        s.Feed("f\n0123456789\n"u8);
        Assert.Equal(["abc", "def", "01234567", "89"], got);
    }

    [Fact]
    public void StdoutChannelWritesLines()
    {
        var ms = new MemoryStream();
        using var ch = new StdoutReportChannel(ms);
        ch.Send(Line(7));
        Assert.Equal(Encoding.ASCII.GetString(Line(7)), Encoding.ASCII.GetString(ms.ToArray()));
        Assert.Equal(1, ch.Sent);
    }
}
