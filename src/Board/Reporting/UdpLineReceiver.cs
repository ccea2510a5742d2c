using System.Net;
using System.Net.Sockets;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Listens for frames on a UDP port; each datagram holds one or more lines.</summary>
public sealed class UdpLineReceiver : ILineReceiver
{
    private readonly Socket _socket;
    private Thread? _thread;
    private volatile bool _stop;

    public UdpLineReceiver(IPEndPoint bind)
    {
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try { _socket.Bind(bind); }
        catch (SocketException e) { _socket.Dispose(); throw new ReportChannelException($"cannot listen on udp://{bind}: {e.Message}"); }
        LocalEndpoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndpoint { get; }
    public string Description => $"udp://{LocalEndpoint}";

    public void Start(Action<string, string> onLine)
    {
        _thread = new Thread(() =>
        {
            var buf = new byte[65536];
            EndPoint from = new IPEndPoint(LocalEndpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (!_stop)
            {
                int n;
                try { n = _socket.ReceiveFrom(buf, ref from); }
                catch (SocketException) { continue; } // timeout or ICMP noise
                catch (ObjectDisposedException) { return; }
                string peer = from.ToString() ?? "?";
                var split = new LineSplitter(l => onLine(peer, l));
                split.Feed(buf.AsSpan(0, n));
                split.Flush();
            }
        }) { Name = "monitor-udp", IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
        _socket.Dispose();
    }
}
