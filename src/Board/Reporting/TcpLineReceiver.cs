using System.Net;
using System.Net.Sockets;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Accepts any number of boards on a TCP port; each connection is a stream of lines.</summary>
public sealed class TcpLineReceiver : ILineReceiver
{
    private readonly Socket _listener;
    private readonly List<Socket> _clients = new();
    private Thread? _thread;
    private volatile bool _stop;

    public TcpLineReceiver(IPEndPoint bind)
    {
        _listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            _listener.Bind(bind);
            _listener.Listen(16);
        }
        catch (SocketException e) { _listener.Dispose(); throw new ReportChannelException($"cannot listen on tcp://{bind}: {e.Message}"); }
        LocalEndpoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndpoint { get; }
    public string Description => $"tcp://{LocalEndpoint}";
    public int Connections { get; private set; }

    public void Start(Action<string, string> onLine)
    {
        _thread = new Thread(() =>
        {
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
                lock (_clients) _clients.Add(c);
                Connections++;
                string peer = c.RemoteEndPoint?.ToString() ?? "?";
                new Thread(() => Serve(c, peer, onLine)) { Name = "monitor-tcp-client", IsBackground = true }.Start();
            }
        }) { Name = "monitor-tcp", IsBackground = true };
        _thread.Start();
    }

    private void Serve(Socket c, string peer, Action<string, string> onLine)
    {
        var split = new LineSplitter(l => onLine(peer, l));
        var buf = new byte[4096];
        try
        {
            while (!_stop)
            {
                if (!c.Poll(200_000, SelectMode.SelectRead)) continue;
                int n = c.Receive(buf);
                if (n <= 0) break;
                split.Feed(buf.AsSpan(0, n));
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        split.Flush();
        lock (_clients) _clients.Remove(c);
        c.Dispose();
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
        _listener.Dispose();
        lock (_clients) foreach (var c in _clients) c.Dispose();
    }
}
