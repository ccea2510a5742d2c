using System.Text;

namespace EdgeRuntime.Board.Reporting;

/// <summary>Turns a byte stream into lines ('\n' ends a line; '\r' is dropped; empty lines skipped);
/// a line longer than the limit is delivered in pieces rather than growing without bound.</summary>
public sealed class LineSplitter(Action<string> onLine, int maxLineBytes = ILineReceiver.MaxLineBytes)
{
    private readonly byte[] _buf = new byte[maxLineBytes];
    private int _len;

    public void Feed(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            if (b == (byte)'\n') { Flush(); continue; }
            if (b == (byte)'\r') continue;
            if (_len == _buf.Length) Flush();
            _buf[_len++] = b;
        }
    }

    public void Flush()
    {
        if (_len > 0) onLine(Encoding.UTF8.GetString(_buf, 0, _len));
        _len = 0;
    }
}
