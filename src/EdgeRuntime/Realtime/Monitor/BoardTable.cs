using System.Text;
using System.Text.Json;

namespace EdgeRuntime.Realtime.Monitor;

/// <summary>The monitor's state: one <see cref="BoardView"/> per board id, updated from raw lines.
/// Malformed lines are counted and otherwise ignored. Thread-safe.</summary>
public sealed class BoardTable
{
    private readonly Dictionary<string, BoardView> _boards = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public long Malformed { get; private set; }
    public long Received { get; private set; }
    public string? LastMalformed { get; private set; }

    /// <summary>Take one line from <paramref name="peer"/>; the frame, or null if it was malformed.</summary>
    public ReportFrame? Ingest(string peer, string line, DateTime? nowUtc = null)
    {
        ReportFrame? f = null;
        try { f = Reporter.Parse(Encoding.UTF8.GetBytes(line)); }
        catch (JsonException) { }
        catch (InvalidOperationException) { }
        catch (NotSupportedException) { }
        lock (_lock)
        {
            Received++;
            if (f is null || f.V is null || f.Seq is null)
            {
                Malformed++;
                LastMalformed = line.Length > 80 ? line[..80] + "..." : line;
                return null;
            }
            string id = string.IsNullOrEmpty(f.Board) ? peer : f.Board!;
            if (!_boards.TryGetValue(id, out var b)) _boards[id] = b = new BoardView(id);
            b.Peer = peer;
            long seq = f.Seq.Value;
            if (b.Last?.Seq is long prev)
            {
                if (seq > prev + 1) b.SeqGaps += seq - prev - 1;
                else if (seq == prev) b.Duplicates++;
                else if (seq < prev) b.Restarts++;
            }
            b.Last = f;
            b.Frames++;
            b.LastSeenUtc = nowUtc ?? DateTime.UtcNow;
            double? rtfNow = f.Rtf1s ?? f.Rtf;
            if (rtfNow is double r && (b.WorstRtf is null || r < b.WorstRtf)) b.WorstRtf = r;
            if (f.P99Us is double p && (b.WorstP99Us is null || p > b.WorstP99Us)) b.WorstP99Us = p;
            return f;
        }
    }

    /// <summary>A copy of every board's view, sorted by board id.</summary>
    public List<BoardView> Snapshot()
    {
        lock (_lock)
        {
            return _boards.Values.OrderBy(b => b.Board, StringComparer.Ordinal).Select(b => new BoardView(b.Board)
            {
                Peer = b.Peer, Last = b.Last, Frames = b.Frames, SeqGaps = b.SeqGaps, Restarts = b.Restarts,
                Duplicates = b.Duplicates, WorstRtf = b.WorstRtf, WorstP99Us = b.WorstP99Us, LastSeenUtc = b.LastSeenUtc,
            }).ToList();
        }
    }
}
