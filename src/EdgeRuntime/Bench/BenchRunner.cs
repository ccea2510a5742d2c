using System.Diagnostics;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Bench;

public sealed class BenchOptions
{
    public int Warmup { get; set; } = 20;
    public int Iterations { get; set; } = 200;
    /// <summary>Frames per run for streaming graphs (defaults to the plan's maximum).</summary>
    public int? Frames { get; set; }
    /// <summary>Streaming graphs: sample rate (a run covers Frames/Rate seconds). Other graphs: runs
    /// per second the application needs (a run covers 1/Rate seconds).</summary>
    public double? RateHz { get; set; }
    public bool Profile { get; set; } = true;
    public int Seed { get; set; } = 1234;
    /// <summary>Streaming models: seconds of signal per sustained-RTF pass (peers use 10 s).</summary>
    public double AudioSeconds { get; set; } = 10;
    /// <summary>Streaming models: sustained-RTF passes (median reported).</summary>
    public int Repeats { get; set; } = 3;
}

/// <summary>Times a session: warm-up, many timed runs, robust statistics, and a per-layer profile
/// obtained by timing each kernel on its own in separate passes.</summary>
public static class BenchRunner
{
    public static double TicksToUs(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <summary>Fill every input with deterministic pseudo-random values in [-1, 1).</summary>
    public static void FillInputs(Session s, int seed)
    {
        var rnd = new Random(seed);
        for (int i = 0; i < s.Inputs.Count; i++)
        {
            var t = s.Inputs[i];
            var bytes = s.InputBytes(i);
            switch (t.Type)
            {
                case DataType.Float32:
                    foreach (ref var v in s.Input(i)) v = (float)(rnd.NextDouble() * 2 - 1);
                    break;
                case DataType.Int8 or DataType.UInt8:
                    rnd.NextBytes(bytes);
                    break;
                default:
                    bytes.Clear();
                    break;
            }
        }
    }

    public static BenchResult Run(Session s, BenchOptions o, string model)
    {
        int frames = o.Frames ?? s.MaxFrames;
        if (frames < 1 || frames > s.MaxFrames)
            throw new ModelException($"--block {frames} is outside 1..{s.MaxFrames} (compile with --frames to raise the maximum)");
        FillInputs(s, o.Seed);
        for (int i = 0; i < o.Warmup; i++) s.Run(frames);
        var samples = new double[o.Iterations];
        for (int i = 0; i < o.Iterations; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            s.Run(frames);
            samples[i] = TicksToUs(Stopwatch.GetTimestamp() - t0);
        }
        var st = TimingStats.Of(samples);
        var plan = s.Plan;
        var g = plan.Graph;
        var result = new BenchResult
        {
            Model = model,
            Format = g.Format,
            Timestamp = DateTime.UtcNow.ToString("o"),
            Machine = MachineInfo.Probe(),
            Frames = frames,
            RateHz = o.RateHz,
            Warmup = o.Warmup,
            Iterations = o.Iterations,
            MedianUs = st.MedianUs,
            MeanUs = st.MeanUs,
            StdUs = st.StdUs,
            P99Us = st.P99Us,
            MaxUs = st.MaxUs,
            MinUs = st.MinUs,
            Noise = st.NoiseFraction,
            Rtf = Rtf(g, frames, o.RateHz, st.MedianUs),
            ModelFacts = new ModelFacts
            {
                Macs = g.Nodes.Sum(n => Planning.CostModel.Macs(n, g)),
                Params = Planning.CostModel.TotalParams(g),
                ArenaBytes = plan.ArenaBytes,
                ArenaLowerBoundBytes = plan.ArenaLowerBoundBytes,
                WeightsBytes = plan.WeightsBytes,
                PersistentBytes = plan.PersistentTotalBytes,
                Ops = g.Nodes.Count,
            },
        };
        if (g.Streaming && o.RateHz is double sr && sr > 0)
        {
            // What the audio peers measure: seconds of signal processed per second of compute, over
            // whole passes (no per-call timer overhead), median of repeats.
            result.SustainedRtf = SustainedRtf(s, frames, sr, o.AudioSeconds, o.Repeats);
            result.AudioSeconds = o.AudioSeconds;
            result.Rtf = result.SustainedRtf;
        }
        if (o.Profile) result.Layers = ProfileLayers(s, frames, Math.Max(10, Math.Min(o.Iterations, 100)));
        return result;
    }

    /// <summary>Process <paramref name="seconds"/> of signal at <paramref name="rateHz"/> in calls of
    /// <paramref name="frames"/> frames; RTF = signal seconds / compute seconds, median of
    /// <paramref name="repeats"/> passes (state reset before each pass).</summary>
    public static double SustainedRtf(Session s, int frames, double rateHz, double seconds, int repeats)
    {
        long calls = Math.Max(1, (long)Math.Round(seconds * rateHz / frames));
        var rtf = new double[Math.Max(1, repeats)];
        for (int r = 0; r < rtf.Length; r++)
        {
            s.Reset();
            long t0 = Stopwatch.GetTimestamp();
            for (long i = 0; i < calls; i++) s.Run(frames);
            double elapsed = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
            rtf[r] = calls * frames / rateHz / elapsed;
        }
        return TimingStats.Of(rtf).MedianUs;
    }

    public static double? Rtf(Graph g, int frames, double? rateHz, double medianUs)
    {
        if (rateHz is not double rate || rate <= 0 || medianUs <= 0) return null;
        double signalSeconds = g.Streaming ? frames / rate : 1.0 / rate;
        return signalSeconds / (medianUs * 1e-6);
    }

    /// <summary>Median time of each kernel over <paramref name="repeats"/> full passes, each kernel
    /// timed on its own (the sum is close to, not equal to, the whole-run median).</summary>
    public static List<LayerProfile> ProfileLayers(Session s, int frames, int repeats)
    {
        var kernels = s.Kernels;
        var g = s.Plan.Graph;
        var times = new double[kernels.Count][];
        for (int k = 0; k < kernels.Count; k++) times[k] = new double[repeats];
        for (int r = 0; r < repeats; r++)
            for (int k = 0; k < kernels.Count; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                kernels[k].Execute(frames);
                times[k][r] = TicksToUs(Stopwatch.GetTimestamp() - t0);
            }
        var layers = new List<LayerProfile>();
        for (int k = 0; k < kernels.Count; k++)
        {
            var node = g.Nodes[k];
            long bytes = node.Inputs.Concat(node.Outputs).Where(n => n.Length > 0 && g.Tensors.ContainsKey(n)).Sum(n => g[n].ByteSize);
            layers.Add(new LayerProfile
            {
                Name = node.Name.Length > 0 ? node.Name : node.Outputs.FirstOrDefault() ?? $"#{k}",
                Op = Operators.OperatorRegistry.Key(node),
                Kernel = kernels[k].KernelName,
                MedianUs = TimingStats.Of(times[k]).MedianUs,
                Macs = Planning.CostModel.Macs(node, g),
                Bytes = bytes,
            });
        }
        double total = layers.Sum(l => l.MedianUs);
        foreach (var l in layers) l.Share = total > 0 ? l.MedianUs / total : 0;
        return layers;
    }
}
