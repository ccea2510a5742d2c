using EdgeRuntime.Board.Interop;
using EdgeRuntime.Board.Serial;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Reads frames from a serial port (raw termios, 8N1, no flow control), polling every 10 ms.</summary>
public sealed class SerialLineReceiver : ILineReceiver
{
    private readonly SerialPort _port;
    private Thread? _thread;
    private volatile bool _stop;

    public SerialLineReceiver(string path, int baud) => _port = SerialPort.Open(path, baud);

    public string Description => $"serial://{_port.Path}?baud={_port.Baud}";
    public string? LastError { get; private set; }

    public void Start(Action<string, string> onLine)
    {
        _thread = new Thread(() =>
        {
            var split = new LineSplitter(l => onLine(_port.Path, l));
            var buf = new byte[4096];
            while (!_stop)
            {
                int n = _port.Read(buf);
                if (n > 0) { split.Feed(buf.AsSpan(0, n)); continue; }
                if (n < 0 && -n != Errno.EIO) { LastError = Errno.Describe(-n); }
                Thread.Sleep(10);
            }
            split.Flush();
        }) { Name = "monitor-serial", IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
        _port.Dispose();
    }
}
