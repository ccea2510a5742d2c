using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeRuntime.Bench;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert compare A.json B.json [...]</c>: bench results side by side (e.g. a desktop
/// run and a board run of the same model), per model and per layer, with ratios to the first file.</summary>
public sealed class CompareCommand : ICommand
{
    public string Name => "compare";
    public string Summary => "put bench results side by side (desktop vs board), per model and per layer";
    public string Usage => "usage: edgert compare A.json B.json [...] [--markdown]";

    public int Run(Args args)
    {
        bool md = args.Flag("markdown");
        args.EnsureAllUsed();
        if (args.Positional.Count < 2) throw new UsageException("give at least two bench result files");
        var results = args.Positional.Select(Load).ToList();
        Console.Write(Render(results, args.Positional.ToList(), md));
        return 0;
    }

    public static BenchResult Load(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: file not found");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), BenchJsonContext.Default.BenchResult)
                ?? throw new ModelException($"{path}: empty bench result");
        }
        catch (JsonException e)
        {
            throw new ModelException($"{path}: not an edgert bench result ({e.Message})");
        }
    }

    public static string Render(IReadOnlyList<BenchResult> results, IReadOnlyList<string> names, bool markdown)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var rows = new List<string[]>();
        string[] header = ["", .. names.Select(n => Path.GetFileNameWithoutExtension(n))];
        rows.Add(["model", .. results.Select(r => Path.GetFileName(r.Model))]);
        rows.Add(["machine", .. results.Select(r => $"{r.Machine.CpuModel} ({r.Machine.Arch})")]);
        rows.Add(["isa", .. results.Select(r => string.Join(" ", r.Machine.IsaFeatures))]);
        rows.Add(["governor / MHz / °C", .. results.Select(r => $"{r.Machine.Governor ?? "-"} / {Fmt(r.Machine.FreqMhz, "F0")} / {Fmt(r.Machine.TempC, "F1")}")]);
        rows.Add(["frames/run", .. results.Select(r => r.Frames.ToString(ci))]);
        rows.Add(["median us", .. results.Select(r => r.MedianUs.ToString("F2", ci))]);
        rows.Add(["p99 us", .. results.Select(r => r.P99Us.ToString("F2", ci))]);
        rows.Add(["max us", .. results.Select(r => r.MaxUs.ToString("F2", ci))]);
        rows.Add(["noise", .. results.Select(r => (r.Noise * 100).ToString("F1", ci) + "%")]);
        rows.Add(["rtf", .. results.Select(r => Fmt(r.Rtf, "F1"))]);
        rows.Add(["ratio to first", .. results.Select(r => results[0].MedianUs > 0 ? (r.MedianUs / results[0].MedianUs).ToString("F2", ci) + "x" : "-")]);
        if (results.Any(r => r.Peer is not null))
            rows.Add(["onnxruntime median us", .. results.Select(r => r.Peer is null ? "-" : r.Peer.MedianUs.ToString("F2", ci))]);
        Table(sb, header, rows, markdown);

        // Per layer, matched by name in the first file's order.
        var layerNames = results[0].Layers.Select(l => l.Name).ToList();
        if (layerNames.Count > 0)
        {
            sb.AppendLine();
            var lrows = new List<string[]>();
            foreach (var name in layerNames)
            {
                var cells = new List<string> { name };
                double baseUs = results[0].Layers.First(l => l.Name == name).MedianUs;
                foreach (var r in results)
                {
                    var l = r.Layers.FirstOrDefault(x => x.Name == name);
                    cells.Add(l is null ? "-" : baseUs > 0 && r != results[0]
                        ? $"{l.MedianUs.ToString("F2", ci)} ({(l.MedianUs / baseUs).ToString("F2", ci)}x)"
                        : l.MedianUs.ToString("F2", ci));
                }
                lrows.Add(cells.ToArray());
            }
            Table(sb, ["layer (median us)", .. header.Skip(1)], lrows, markdown);
        }
        return sb.ToString();
    }

    private static string Fmt(double? v, string f) => v is double d ? d.ToString(f, CultureInfo.InvariantCulture) : "-";

    private static void Table(StringBuilder sb, string[] header, List<string[]> rows, bool markdown)
    {
        if (markdown)
        {
            sb.AppendLine("| " + string.Join(" | ", header) + " |");
            sb.AppendLine("|" + string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
            foreach (var r in rows) sb.AppendLine("| " + string.Join(" | ", r) + " |");
            return;
        }
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        sb.AppendLine(string.Join("  ", header.Select((h, i) => i == 0 ? h.PadRight(widths[i]) : h.PadLeft(widths[i]))));
        foreach (var r in rows)
            sb.AppendLine(string.Join("  ", r.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
    }
}
