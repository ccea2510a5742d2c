using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Report/monitor addresses: <c>udp://host:port</c>, <c>tcp://host:port</c>,
/// <c>serial:///dev/ttyX?baud=115200</c>, <c>stdout</c>.</summary>
public sealed record ReportUri(string Scheme, IPEndPoint? Endpoint, string? DevicePath, int Baud)
{
    public static ReportUri Parse(string text)
    {
        if (text is "stdout" or "-" or "stdout://") return new("stdout", null, null, 0);
        int sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0) throw new ReportChannelException($"report address '{text}' needs a scheme: udp://host:port, tcp://host:port, serial:///dev/ttyX?baud=N or stdout");
        string scheme = text[..sep].ToLowerInvariant();
        string rest = text[(sep + 3)..];
        switch (scheme)
        {
            case "udp":
            case "tcp":
                return new(scheme, ParseEndpoint(rest, text), null, 0);
            case "serial":
            {
                int q = rest.IndexOf('?');
                string path = q >= 0 ? rest[..q] : rest;
                int baud = 115200;
                if (q >= 0)
                {
                    foreach (var kv in rest[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var parts = kv.Split('=', 2);
                        if (parts[0] == "baud" && parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int b) && b > 0)
                            baud = b;
                        else throw new ReportChannelException($"'{text}': unknown or bad serial option '{kv}' (known: baud=N)");
                    }
                }
                if (!path.StartsWith('/')) throw new ReportChannelException($"'{text}': serial needs an absolute device path, e.g. serial:///dev/ttyAMA0?baud=115200");
                return new("serial", null, path, baud);
            }
            default:
                throw new ReportChannelException($"report address '{text}': unknown scheme '{scheme}' (udp, tcp, serial, stdout)");
        }
    }

    private static IPEndPoint ParseEndpoint(string hostPort, string whole)
    {
        hostPort = hostPort.TrimEnd('/');
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 0 or > 65535)
            throw new ReportChannelException($"'{whole}': expected host:port");
        string host = hostPort[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        try
        {
            var addrs = Dns.GetHostAddresses(host);
            var v4 = addrs.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addrs.FirstOrDefault();
            if (v4 is null) throw new ReportChannelException($"'{whole}': host '{host}' has no address");
            return new IPEndPoint(v4, port);
        }
        catch (SocketException e) { throw new ReportChannelException($"'{whole}': cannot resolve '{host}': {e.Message}"); }
    }

    /// <summary>Open the sending side for a board.</summary>
    public IReportChannel OpenChannel() => Scheme switch
    {
        "udp" => new UdpReportChannel(Endpoint!),
        "tcp" => new TcpReportChannel(Endpoint!),
        "serial" => OpenSerial(),
        _ => new StdoutReportChannel(),
    };

    /// <summary>Open the receiving side (the host's monitor).</summary>
    public ILineReceiver OpenReceiver() => Scheme switch
    {
        "udp" => new UdpLineReceiver(Endpoint!),
        "tcp" => new TcpLineReceiver(Endpoint!),
        "serial" => OpenSerialReceiver(),
        _ => throw new ReportChannelException("the monitor listens on udp://, tcp:// or serial://, not stdout"),
    };

    private SerialLineReceiver OpenSerialReceiver()
    {
        try { return new SerialLineReceiver(DevicePath!, Baud); }
        catch (ArgumentException e) { throw new ReportChannelException(e.Message); }
    }

    private SerialReportChannel OpenSerial()
    {
        try { return new SerialReportChannel(DevicePath!, Baud); }
        catch (ArgumentException e) { throw new ReportChannelException(e.Message); }
    }

    public override string ToString() => Scheme switch
    {
        "udp" or "tcp" => $"{Scheme}://{Endpoint}",
        "serial" => $"serial://{DevicePath}?baud={Baud}",
        _ => "stdout",
    };
}
