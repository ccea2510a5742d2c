using System.Globalization;
using System.Text;

namespace EdgeRuntime.Realtime.Monitor;

/// <summary>Renders the board table for a terminal, and the CSV log format.</summary>
public static class MonitorView
{
    private static readonly CultureInfo s_ci = CultureInfo.InvariantCulture;

    private static string N(double? v, string fmt) => v is double d ? d.ToString(fmt, s_ci) : "-";
    private static string N(long? v) => v is long d ? d.ToString(s_ci) : "-";

    public static string Render(IReadOnlyList<BoardView> boards, BoardTable table, DateTime nowUtc)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Format(s_ci, "{0,-24} {1,5} {2,9} {3,9} {4,9} {5,9} {6,7} {7,7} {8,6} {9,6} {10,7} {11,5} {12,5}",
            "board", "seq", "rtf 1s", "rtf min", "p99 us", "max us", "misses", "dropped", "temp", "MHz", "thrott", "gaps", "age"));
        foreach (var b in boards)
        {
            var f = b.Last!;
            double age = (nowUtc - b.LastSeenUtc).TotalSeconds;
            sb.AppendLine(string.Format(s_ci, "{0,-24} {1,5} {2,9} {3,9} {4,9} {5,9} {6,7} {7,7} {8,6} {9,6} {10,7} {11,5} {12,5}",
                b.Board.Length > 24 ? b.Board[..24] : b.Board, N(f.Seq), N(f.Rtf1s ?? f.Rtf, "0.0"), N(b.WorstRtf, "0.0"),
                N(f.P99Us, "0.0"), N(f.MaxUs, "0.0"), N(f.Misses), N(f.Dropped), N(f.TempC, "0.0"), N(f.FreqMhz, "0"),
                f.Throttled is long t ? "0x" + t.ToString("x", s_ci) : "-", b.SeqGaps, age.ToString("0", s_ci) + "s"));
        }
        if (boards.Count == 0) sb.AppendLine("(no frames yet)");
        sb.Append(s_ci, $"frames received {table.Received}, malformed {table.Malformed}");
        return sb.ToString();
    }

    public const string CsvHeader = "received_utc,peer,v,board,seq,t,rtf,rtf_1s,p50_us,p99_us,p999_us,max_us,misses,dropped,lost,blocks,temp_c,freq_mhz,governor,throttled,load,final";

    public static string CsvRow(DateTime receivedUtc, string peer, ReportFrame f)
    {
        static string Q(string? s) => s is null ? "" : s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        string D(double? v) => v is double d ? d.ToString("R", s_ci) : "";
        string L(long? v) => v is long d ? d.ToString(s_ci) : "";
        return string.Join(",", receivedUtc.ToString("O", s_ci), Q(peer), f.V?.ToString(s_ci) ?? "", Q(f.Board), L(f.Seq), D(f.T),
            D(f.Rtf), D(f.Rtf1s), D(f.P50Us), D(f.P99Us), D(f.P999Us), D(f.MaxUs), L(f.Misses), L(f.Dropped), L(f.Lost), L(f.Blocks),
            D(f.TempC), D(f.FreqMhz), Q(f.Governor), L(f.Throttled), D(f.Load), f.Final == true ? "true" : "");
    }
}
