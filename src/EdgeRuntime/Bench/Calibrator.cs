namespace EdgeRuntime.Bench;

/// <summary>Measures a grid of generated networks and fits per-operation costs by non-negative least
/// squares on relative error (each network weighted by 1/measured time).</summary>
public static class Calibrator
{
    /// <summary>The calibration grid: dense, GRU, LSTM and Conv1D networks of several widths and
    /// depths with tanh/sigmoid/relu activations.</summary>
    public static IReadOnlyList<string> DefaultGrid()
    {
        var g = new List<string>();
        foreach (int w in new[] { 4, 8, 24, 64 })
        {
            g.Add($"dense(1,{w})>tanh>dense({w},1)");
            g.Add($"dense(1,{w})>relu>dense({w},{w})>sigmoid>dense({w},1)");
        }
        foreach (int h in new[] { 4, 12, 24, 48, 80 })
        {
            g.Add($"gru(1,{h})>dense({h},1)");
            g.Add($"lstm(1,{h})>dense({h},1)");
        }
        g.Add("gru(2,16)>gru(16,16)>dense(16,1)");
        g.Add("lstm(4,20)>tanh>dense(20,1)");
        foreach (int c in new[] { 4, 12, 32 })
        {
            g.Add($"conv1d(1,{c},3)>tanh>conv1d({c},{c},3,dil=2)>tanh>dense({c},1)");
            g.Add($"conv1d(1,{c},5,dil=3)>relu>dense({c},1)");
        }
        return g;
    }

    public static readonly int[] DefaultBlocks = [1, 16, 64];

    public static MachineProfile Calibrate(IReadOnlyList<string> grid, IReadOnlyList<int> blocks, TextWriter log)
    {
        var samples = new List<(ArchSpec Arch, int Block, OpCounts Counts, double Ns)>();
        foreach (var text in grid)
        {
            var arch = ArchSpec.Parse(text);
            foreach (int block in blocks)
            {
                double ns = NetworkTimer.MeasureNsPerFrame(arch, block);
                samples.Add((arch, block, OpCounts.Of(arch, block), ns));
                log.WriteLine($"  {ns,10:F1} ns/frame  block {block,-3} {arch}");
            }
        }
        var a = samples.Select(s => s.Counts.Vector.Select(v => v / s.Ns).ToArray()).ToArray();
        var b = samples.Select(_ => 1.0).ToArray();
        var costs = Nnls.Solve(a, b);
        var profile = new MachineProfile
        {
            Timestamp = DateTime.UtcNow.ToString("o"),
            Machine = MachineInfo.Probe(),
            Features = OpCounts.Features.ToList(),
            CostsNs = costs.ToList(),
        };
        foreach (var s in samples)
            profile.Samples.Add(new CalibrationSample
            {
                Arch = s.Arch.ToString(),
                Block = s.Block,
                MeasuredNsPerFrame = s.Ns,
                PredictedNsPerFrame = profile.PredictNsPerFrame(s.Counts),
            });
        profile.Fit = Quality(profile.Samples);
        return profile;
    }

    public static FitQuality Quality(IReadOnlyList<CalibrationSample> samples)
    {
        var rel = samples.Select(s => Math.Abs(s.PredictedNsPerFrame - s.MeasuredNsPerFrame) / s.MeasuredNsPerFrame).OrderBy(x => x).ToArray();
        double mean = samples.Average(s => Math.Log(s.MeasuredNsPerFrame));
        double ssTot = samples.Sum(s => Math.Pow(Math.Log(s.MeasuredNsPerFrame) - mean, 2));
        double ssRes = samples.Sum(s => Math.Pow(Math.Log(Math.Max(s.PredictedNsPerFrame, 1e-9)) - Math.Log(s.MeasuredNsPerFrame), 2));
        return new FitQuality
        {
            Networks = samples.Count,
            R2 = ssTot > 0 ? 1 - ssRes / ssTot : 1,
            MedianAbsRelError = rel.Length == 0 ? 0 : TimingStats.Percentile(rel, 0.5),
            MaxAbsRelError = rel.Length == 0 ? 0 : rel[^1],
        };
    }
}
