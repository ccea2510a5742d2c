using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Bench;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert predict</c>: real-time factor of an architecture from its shape and a fitted
/// machine profile, optionally swept over a size and measured for comparison.</summary>
public sealed class PredictCommand : ICommand
{
    public string Name => "predict";
    public string Summary => "predict a network's real-time factor from its shape (machine profile from calibrate)";
    public string Usage => """
        usage: edgert predict --arch SPEC --rate HZ --profile machine.json [--block N]
                              [--sweep PARAM=A..B[:STEP]] [--plot out.svg] [--measure] [--json out.json]
          SPEC: stages joined by '>': dense(in,out) gru(in,hidden) lstm(in,hidden) conv1d(in,out,kernel[,dil=D])
                tanh relu sigmoid; a size may be a symbol swept by --sweep, e.g. --arch "gru(1,H)>dense(H,1)" --sweep H=8..128
          A..B doubles from A to B; A..B:S steps by S.
        """;

    public int Run(Args args)
    {
        string spec = args.Get("arch") ?? throw new UsageException("--arch is required");
        double rate = args.GetDouble("rate", 48000);
        if (rate <= 0) throw new UsageException("--rate must be positive");
        string profilePath = args.Get("profile") ?? throw new UsageException("--profile machine.json is required (run edgert calibrate)");
        int block = args.GetInt("block", 64);
        string? sweep = args.Get("sweep");
        string? plot = args.Get("plot");
        bool measure = args.Flag("measure");
        string? jsonOut = args.Get("json");
        args.EnsureAllUsed();
        if (block < 1) throw new UsageException("--block must be ≥ 1");

        var profile = LoadProfile(profilePath);
        var (param, values) = sweep is null ? ("", new List<int> { 0 }) : ParseSweep(sweep);
        var report = new PredictReport { Rate = rate, Block = block, Profile = profilePath, Sweep = sweep };
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine($"{"architecture",-44} {"MACs/frame",12} {"predicted RTF",14}{(measure ? $" {"measured RTF",13} {"error",7}" : "")}");
        foreach (int v in values)
        {
            var bindings = param.Length > 0 ? new Dictionary<string, int> { [param] = v } : null;
            var arch = ArchSpec.Parse(spec, bindings);
            var counts = OpCounts.Of(arch, block);
            double predNs = profile.PredictNsPerFrame(counts);
            var row = new PredictRow
            {
                Arch = arch.ToString(),
                Param = param.Length > 0 ? v : null,
                MacsPerFrame = counts.Macs,
                PredictedRtf = MachineProfile.Rtf(predNs, rate),
            };
            if (measure)
            {
                double ns = NetworkTimer.MeasureNsPerFrame(arch, block);
                row.MeasuredRtf = MachineProfile.Rtf(ns, rate);
                row.RelError = (row.PredictedRtf - row.MeasuredRtf) / row.MeasuredRtf;
            }
            report.Rows.Add(row);
            Console.WriteLine(string.Create(ci, $"{row.Arch,-44} {row.MacsPerFrame,12:N0} {row.PredictedRtf,14:F1}{(measure ? $" {row.MeasuredRtf,13:F1} {row.RelError * 100,6:F1}%" : "")}"));
        }
        if (measure)
        {
            var errs = report.Rows.Select(r => Math.Abs(r.RelError ?? 0)).OrderBy(x => x).ToArray();
            report.MedianAbsRelError = TimingStats.Percentile(errs, 0.5);
            Console.WriteLine(string.Create(ci, $"median |predicted − measured| / measured = {report.MedianAbsRelError * 100:F1}% over {errs.Length} architectures"));
        }
        if (plot is not null)
        {
            if (param.Length == 0) throw new UsageException("--plot needs --sweep (RTF against a size)");
            var series = new List<SvgPlot.Series> { new("predicted", "#1f77b4", report.Rows.Select(r => ((double)r.Param!, r.PredictedRtf)).ToList()) };
            if (measure) series.Add(new("measured", "#2ca02c", report.Rows.Select(r => ((double)r.Param!, r.MeasuredRtf ?? 0)).ToList(), Dashed: true));
            File.WriteAllText(plot, SvgPlot.RtfPlot($"{spec} at {rate.ToString("G", ci)} Hz, block {block} ({profile.Machine.CpuModel})", param, series));
            Console.WriteLine($"wrote {plot}");
        }
        if (jsonOut is not null) File.WriteAllText(jsonOut, JsonSerializer.Serialize(report, BenchJsonContext.Default.PredictReport));
        return 0;
    }

    public static MachineProfile LoadProfile(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: machine profile not found (run edgert calibrate --json {path})");
        try
        {
            var p = JsonSerializer.Deserialize(File.ReadAllText(path), BenchJsonContext.Default.MachineProfile)
                ?? throw new ModelException($"{path}: empty machine profile");
            if (!p.Features.SequenceEqual(OpCounts.Features))
                throw new ModelException($"{path}: profile counts [{string.Join(", ", p.Features)}], this build counts [{string.Join(", ", OpCounts.Features)}]; re-run edgert calibrate");
            return p;
        }
        catch (JsonException e)
        {
            throw new ModelException($"{path}: not a machine profile ({e.Message})");
        }
    }

    public static (string Param, List<int> Values) ParseSweep(string sweep)
    {
        int eq = sweep.IndexOf('=');
        int dots = sweep.IndexOf("..", StringComparison.Ordinal);
        if (eq <= 0 || dots < eq) throw new UsageException($"--sweep expects PARAM=A..B[:STEP], got '{sweep}'");
        string param = sweep[..eq].Trim();
        string hiPart = sweep[(dots + 2)..];
        int? step = null;
        int colon = hiPart.IndexOf(':');
        if (colon >= 0) { step = Parse(hiPart[(colon + 1)..]); hiPart = hiPart[..colon]; }
        int lo = Parse(sweep[(eq + 1)..dots]), hi = Parse(hiPart);
        if (lo < 1 || hi < lo || step is <= 0) throw new UsageException($"--sweep {sweep}: need 1 ≤ A ≤ B and STEP ≥ 1");
        var values = new List<int>();
        for (int v = lo; v <= hi; v = step is int s ? v + s : v * 2) values.Add(v);
        if (values[^1] != hi) values.Add(hi);
        return (param, values);

        int Parse(string s) => int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new UsageException($"--sweep {sweep}: '{s}' is not an integer");
    }
}

public sealed class PredictReport
{
    public double Rate { get; set; }
    public int Block { get; set; }
    public string Profile { get; set; } = "";
    public string? Sweep { get; set; }
    public List<PredictRow> Rows { get; set; } = new();
    public double? MedianAbsRelError { get; set; }
}

public sealed class PredictRow
{
    public string Arch { get; set; } = "";
    public int? Param { get; set; }
    public long MacsPerFrame { get; set; }
    public double PredictedRtf { get; set; }
    public double? MeasuredRtf { get; set; }
    public double? RelError { get; set; }
}
