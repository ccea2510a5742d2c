using System.Net;
using System.Net.Sockets;

namespace EdgeRuntime.Board.Reporting;

/// <summary>One datagram per frame on a connected, non-blocking UDP socket. A receiver that is absent
/// shows up as ICMP "port unreachable" on a later send: counted as lost, never an exception.</summary>
public sealed class UdpReportChannel : IReportChannel
{
    private readonly Socket _socket;

    public UdpReportChannel(IPEndPoint endpoint)
    {
        Endpoint = endpoint;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        _socket.Connect(endpoint);
    }

    public IPEndPoint Endpoint { get; }
    public string Description => $"udp://{Endpoint}";
    public long Sent { get; private set; }
    public long Lost { get; private set; }
    public string? LastError { get; private set; }

    public bool Send(ReadOnlySpan<byte> line)
    {
        try
        {
            _socket.Send(line, SocketFlags.None, out SocketError err);
            if (err == SocketError.Success) { Sent++; return true; }
            LastError = err == SocketError.ConnectionRefused ? "receiver absent (port unreachable)" : err.ToString();
        }
        catch (SocketException e) { LastError = e.SocketErrorCode.ToString(); }
        catch (ObjectDisposedException) { LastError = "closed"; }
        Lost++;
        return false;
    }

    public void Pump() { }

    public void Dispose() => _socket.Dispose();
}
