using System.Net;
using System.Net.Sockets;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Frames over TCP on a non-blocking socket: connects in the background, reconnects with
/// exponential backoff (100 ms doubling to 5 s) when the peer is absent or closes; frames that arrive
/// while disconnected or while the peer does not read are counted lost.</summary>
public sealed class TcpReportChannel : StreamLineChannel
{
    private Socket? _socket;
    private bool _connecting, _connected;
    private long _nextAttemptMs;
    private int _backoffMs = MinBackoffMs;
    public const int MinBackoffMs = 100, MaxBackoffMs = 5000;

    public TcpReportChannel(IPEndPoint endpoint)
    {
        Endpoint = endpoint;
        Maintain();
    }

    public IPEndPoint Endpoint { get; }
    public override string Description => $"tcp://{Endpoint}";
    public long Connects { get; private set; }
    public long Disconnects { get; private set; }
    public bool Connected => _connected;

    protected override bool IsReady => _connected;

    private static long NowMs => Environment.TickCount64;

    protected override void Maintain()
    {
        if (_connected)
        {
            // Peer closed? Readable with nothing to read means end of stream.
            try
            {
                if (_socket!.Poll(0, SelectMode.SelectRead))
                {
                    Span<byte> sink = stackalloc byte[256];
                    int n = _socket.Receive(sink, SocketFlags.None, out SocketError err);
                    if (n == 0 || (err != SocketError.Success && err != SocketError.WouldBlock))
                        Drop(n == 0 ? "peer closed the connection" : err.ToString());
                }
            }
            catch (SocketException e) { Drop(e.SocketErrorCode.ToString()); }
            return;
        }
        if (_connecting)
        {
            try
            {
                if (_socket!.Poll(0, SelectMode.SelectWrite))
                {
                    var err = (SocketError)(int)_socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                    if (err == SocketError.Success)
                    {
                        _connecting = false;
                        _connected = true;
                        _backoffMs = MinBackoffMs;
                        Connects++;
                        ClearPending();
                    }
                    else Fail(err == SocketError.ConnectionRefused ? "connection refused (no receiver)" : err.ToString());
                }
                else if (_socket.Poll(0, SelectMode.SelectError)) Fail("connect failed");
                else if (NowMs > _nextAttemptMs + 2000) Fail("connect timed out");
            }
            catch (SocketException e) { Fail(e.SocketErrorCode.ToString()); }
            return;
        }
        if (NowMs < _nextAttemptMs) return;
        _socket?.Dispose();
        _socket = new Socket(Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
        _nextAttemptMs = NowMs;
        try
        {
            _socket.Connect(Endpoint);
            _connected = true;
            Connects++;
            _backoffMs = MinBackoffMs;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress)
        {
            _connecting = true;
        }
        catch (SocketException e) { Fail(e.SocketErrorCode.ToString()); }
    }

    private void Fail(string why)
    {
        LastError = why;
        _connecting = false;
        _connected = false;
        _socket?.Dispose();
        _socket = null;
        _nextAttemptMs = NowMs + _backoffMs;
        _backoffMs = Math.Min(MaxBackoffMs, _backoffMs * 2);
    }

    private void Drop(string why)
    {
        Disconnects++;
        ClearPending();
        Fail(why);
    }

    protected override int WriteSome(ReadOnlySpan<byte> data)
    {
        if (_socket is null) return -1;
        int n = _socket.Send(data, SocketFlags.None, out SocketError err);
        if (err == SocketError.Success) return n;
        if (err == SocketError.WouldBlock) return 0;
        Drop(err.ToString());
        return -1;
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        _socket = null;
        _connected = _connecting = false;
    }
}
