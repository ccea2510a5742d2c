using System.Text;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Board.Serial;

namespace EdgeRuntime.Board.Tests.Serial;

public class SerialPortTests
{
    [Fact]
    public unsafe void ConfiguresRaw8N1WithoutFlowControl()
    {
        using var pty = PseudoTerminal.Open();
        using var port = SerialPort.Open(pty.SlavePath, 115200);
        var t = port.ReadSettings();
        Assert.Equal(SerialPort.CS8, t.CFlag & SerialPort.CSIZE);
        Assert.Equal(0u, t.CFlag & SerialPort.PARENB);
        Assert.Equal(0u, t.CFlag & SerialPort.CSTOPB);
        Assert.Equal(0u, t.CFlag & SerialPort.CRTSCTS);
        Assert.Equal(0u, t.IFlag & (SerialPort.IXON | SerialPort.IXOFF | SerialPort.ICRNL));
        Assert.Equal(0u, t.LFlag & (SerialPort.ICANON | SerialPort.ECHO | SerialPort.ISIG));
        Assert.Equal(0u, t.OFlag & SerialPort.OPOST);
        Assert.Equal(SerialPort.SpeedConstant(115200), Interop.Libc.Cfgetospeed(&t));
    }

    [Fact]
    public void BytesPassUnchangedThroughThePair()
    {
        using var pty = PseudoTerminal.Open();
        using var port = SerialPort.Open(pty.SlavePath, 115200);
        byte[] line = Encoding.UTF8.GetBytes("{\"v\":1,\"seq\":1}\r\n\n");
        Assert.Equal(line.Length, port.Write(line));
        var got = new byte[64];
        int n = 0;
        for (int i = 0; i < 100 && n < line.Length; i++)
        {
            int r = pty.ReadMaster(got.AsSpan(n));
            if (r > 0) n += r; else Thread.Sleep(5);
        }
        Assert.Equal(line, got[..n]);
    }

    [Fact]
    public void MissingPortAndBadBaudAreClear()
    {
        var e = Assert.Throws<IOException>(() => SerialPort.Open("/dev/ttyNOPE42", 115200));
        Assert.Contains("/dev/ttyNOPE42", e.Message);
        Assert.Throws<ArgumentException>(() => SerialPort.SpeedConstant(12345));
        var notTty = Assert.Throws<IOException>(() => SerialPort.Open("/dev/null", 9600));
        Assert.Contains("not a terminal", notTty.Message);
    }

    [Fact]
    public void SlowLineThatCannotKeepUpLosesWholeFramesWithoutBlocking()
    {
        // 9600 baud with nobody reading the far end: the pty buffer fills, writes return EAGAIN,
        // (a blocking write would hang here for good; the bound only allows for a loaded machine)
        // frames are counted lost, Send never waits, and what did get through is whole lines.
        using var pty = PseudoTerminal.Open();
        using var ch = new SerialReportChannel(pty.SlavePath, 9600);
        byte[] frame = Encoding.ASCII.GetBytes("{\"v\":1,\"board\":\"b\",\"seq\":0,\"pad\":\"" + new string('x', 300) + "\"}\n");
        double worstMs = 0;
        for (int i = 0; i < 2000; i++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            ch.Send(frame);
            worstMs = Math.Max(worstMs, System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        Assert.True(ch.Lost > 0, "a full line must lose frames");
        Assert.True(ch.Sent > 0);
        Assert.Equal(2000, ch.Sent + ch.Lost);
        Assert.True(worstMs < 1000, $"Send blocked for {worstMs:0.0} ms");

        // Drain the far end while pumping: every line received is complete.
        var all = new List<byte>();
        var buf = new byte[65536];
        for (int i = 0; i < 400; i++)
        {
            ch.Pump();
            int r = pty.ReadMaster(buf);
            if (r > 0) all.AddRange(buf.AsSpan(0, r).ToArray());
            else if (ch.PendingBytes == 0) break;
            else Thread.Sleep(2);
        }
        var text = Encoding.ASCII.GetString(all.ToArray());
        Assert.EndsWith("\n", text);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ch.Sent, lines.Length);
        Assert.All(lines, l => Assert.Equal(frame.Length - 1, l.Length));
    }
}
