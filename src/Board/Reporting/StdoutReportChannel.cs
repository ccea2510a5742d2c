namespace EdgeRuntime.Board.Reporting;

/// <summary>Frames on standard output (or any stream, for tests).</summary>
public sealed class StdoutReportChannel(Stream? stream = null) : IReportChannel
{
    private readonly Stream _out = stream ?? Console.OpenStandardOutput();

    public string Description => "stdout";
    public long Sent { get; private set; }
    public long Lost { get; private set; }
    public string? LastError { get; private set; }

    public bool Send(ReadOnlySpan<byte> line)
    {
        try
        {
            _out.Write(line);
            _out.Flush();
            Sent++;
            return true;
        }
        catch (IOException e)
        {
            LastError = e.Message;
            Lost++;
            return false;
        }
    }

    public void Pump() { }

    public void Dispose() => _out.Flush();
}
