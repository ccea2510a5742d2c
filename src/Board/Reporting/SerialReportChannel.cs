using EdgeRuntime.Board.Interop;
using EdgeRuntime.Board.Serial;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Frames on a serial line (raw termios, 8N1, no flow control) with non-blocking writes: when
/// the line cannot keep up, the driver's buffer fills and new frames are counted lost.</summary>
public sealed class SerialReportChannel : StreamLineChannel
{
    private readonly SerialPort _port;

    public SerialReportChannel(string path, int baud) => _port = SerialPort.Open(path, baud);

    public override string Description => $"serial://{_port.Path}?baud={_port.Baud}";
    protected override bool IsReady => _port.Fd > 0;

    protected override int WriteSome(ReadOnlySpan<byte> data)
    {
        int n = _port.Write(data);
        if (n >= 0) return n;
        LastError = Errno.Describe(-n);
        return -1;
    }

    public override void Dispose() => _port.Dispose();
}
