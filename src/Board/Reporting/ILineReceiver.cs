namespace EdgeRuntime.Board.Reporting;

/// <summary>The host side of a report channel: receives text lines (frames) from one or more boards on
/// its own threads and hands each line with the sender's address to <c>onLine</c>.</summary>
public interface ILineReceiver : IDisposable
{
    string Description { get; }
    /// <summary>Lines longer than this are cut off and delivered as they are (the monitor will find them malformed).</summary>
    const int MaxLineBytes = 16 * 1024;
    void Start(Action<string, string> onLine);
}
