using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Bench;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert bench MODEL</c>: timing, RTF, per-layer profile, machine description, and
/// optionally ONNX Runtime side by side in the same process. <c>edgert bench kernels</c> runs the
/// kernel micro-benchmarks.</summary>
public sealed partial class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "benchmark a model (RTF, percentiles, per-layer profile, --vs onnxruntime) or the kernels";
    public string Usage => $"""
        usage: edgert bench MODEL [--block N] [--rate HZ] [--iterations N] [--warmup N] [--json OUT.json]
                                  {ModelOptions.Usage} [--vs onnxruntime[=LIBPATH]] [--threads N]
               edgert bench kernels [--json OUT.json]
          --block N     frames per run for streaming (audio) models; default: the model's block
          --rate HZ     sample rate for streaming models, or runs per second required for others; gives RTF
          --seconds S   streaming models: seconds of signal per sustained-RTF pass (default 10), --repeats N passes (3)
          --vs onnxruntime  run ONNX Runtime 1.30 on the same inputs in this process, alternating with ours
                        (library from tools/fetch-onnxruntime.sh, or =PATH to libonnxruntime.so.1)
          --threads N   intra-op threads for the peer (default 1; ours is always single-threaded)
        """;

    public int Run(Args args)
    {
        string? model = args.Pos(0) ?? throw new UsageException("name a model file, or 'kernels'");
        if (model == "kernels") return RunKernels(args);

        var options = ModelOptions.Parse(args);
        int? block = args.Get("block") is null ? null : args.GetInt("block", 0);
        if (block is int b) options.MaxFrames = b;
        double? rate = args.Get("rate") is null ? null : args.GetDouble("rate", 0);
        var bo = new BenchOptions
        {
            Iterations = args.GetInt("iterations", 200),
            Warmup = args.GetInt("warmup", 20),
            RateHz = rate,
            Frames = block,
            AudioSeconds = args.GetDouble("seconds", 10),
            Repeats = args.GetInt("repeats", 3),
        };
        if (bo.Iterations < 1 || bo.Warmup < 0) throw new UsageException("--iterations must be ≥ 1 and --warmup ≥ 0");
        string? vs = args.Get("vs");
        int threads = args.GetInt("threads", 1);
        string? jsonOut = args.Get("json");
        args.EnsureAllUsed();

        // A model file is compiled with the options; a .edge plan runs as compiled.
        var plan = PlanLoader.LoadAny(model, ModelOptions.Any(options) ? options : null);
        if (plan.Graph.Streaming && rate is null && plan.Graph.SampleRate is double sr) bo.RateHz = sr;
        using var session = new Session(plan);
        Console.Error.WriteLine($"bench {Path.GetFileName(model)}: {plan.Graph.Nodes.Count} ops, {bo.Warmup} warm-up + {bo.Iterations} timed runs");

        BenchResult result;
        if (vs is not null)
        {
            if (!vs.StartsWith("onnxruntime", StringComparison.Ordinal))
                throw new UsageException($"--vs supports onnxruntime[=PATH], got '{vs}'");
            if (!model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new UsageException("--vs onnxruntime needs an .onnx model");
            string lib = vs.Length > "onnxruntime=".Length && vs[11] == '=' ? vs[12..] : OnnxRuntimePeer.DefaultLibraryPath();
            result = BenchWithPeer(session, bo, model, lib, threads);
        }
        else result = BenchRunner.Run(session, bo, model);

        Print(result);
        if (jsonOut is not null)
        {
            File.WriteAllText(jsonOut, JsonSerializer.Serialize(result, BenchJsonContext.Default.BenchResult));
            Console.Error.WriteLine($"wrote {jsonOut}");
        }
        return 0;
    }

    private static BenchResult BenchWithPeer(Session s, BenchOptions o, string model, string lib, int threads)
    {
        BenchRunner.FillInputs(s, o.Seed);
        var inputs = s.Inputs.Select((t, i) => (t.Name, t.Shape, s.Input(i).ToArray())).ToList();
        foreach (var t in s.Inputs)
            if (t.Type != DataType.Float32) throw new ModelException($"--vs onnxruntime: input '{t.Name}' is {t.Type}; only float32 inputs are compared");
        var outputs = s.Outputs.Select(t => (t.Name, t.Shape, new float[t.ElementCount])).ToList();
        using var peer = new OnnxRuntimePeer(lib, model, inputs, outputs, threads);

        // Same inputs, both engines: outputs must agree.
        s.Run();
        peer.Run();
        double maxDiff = 0;
        for (int i = 0; i < outputs.Count; i++)
        {
            var ours = s.Output(i);
            var theirs = outputs[i].Item3;
            for (int j = 0; j < theirs.Length; j++) maxDiff = Math.Max(maxDiff, Math.Abs(ours[j] - theirs[j]));
        }

        for (int i = 0; i < o.Warmup; i++) { s.Run(); peer.Run(); }
        var ourTimes = new double[o.Iterations];
        var peerTimes = new double[o.Iterations];
        for (int i = 0; i < o.Iterations; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            s.Run();
            long t1 = Stopwatch.GetTimestamp();
            peer.Run();
            long t2 = Stopwatch.GetTimestamp();
            ourTimes[i] = BenchRunner.TicksToUs(t1 - t0);
            peerTimes[i] = BenchRunner.TicksToUs(t2 - t1);
        }
        var result = BenchRunner.Run(s, new BenchOptions { Warmup = 0, Iterations = 1, RateHz = o.RateHz, Profile = true, Seed = o.Seed }, model);
        var ours2 = TimingStats.Of(ourTimes);
        var theirs2 = TimingStats.Of(peerTimes);
        result.Warmup = o.Warmup;
        result.Iterations = o.Iterations;
        result.MedianUs = ours2.MedianUs; result.MeanUs = ours2.MeanUs; result.StdUs = ours2.StdUs;
        result.P99Us = ours2.P99Us; result.MaxUs = ours2.MaxUs; result.MinUs = ours2.MinUs; result.Noise = ours2.NoiseFraction;
        result.Rtf = BenchRunner.Rtf(s.Plan.Graph, result.Frames, o.RateHz, ours2.MedianUs);
        result.Peer = new PeerResult
        {
            Name = "onnxruntime",
            Version = peer.Version,
            Threads = threads,
            MedianUs = theirs2.MedianUs,
            P99Us = theirs2.P99Us,
            MaxUs = theirs2.MaxUs,
            Rtf = BenchRunner.Rtf(s.Plan.Graph, result.Frames, o.RateHz, theirs2.MedianUs),
        };
        result.MaxAbsDiff = maxDiff;
        result.Ratio = theirs2.MedianUs > 0 ? ours2.MedianUs / theirs2.MedianUs : null;
        return result;
    }

    private static void Print(BenchResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine($"model    {r.Model} ({r.Format}), {r.ModelFacts.Ops} ops, {r.ModelFacts.Macs:N0} MACs, {r.ModelFacts.Params:N0} params");
        Console.WriteLine($"memory   arena {r.ModelFacts.ArenaBytes:N0} B (lower bound {r.ModelFacts.ArenaLowerBoundBytes:N0} B), weights {r.ModelFacts.WeightsBytes:N0} B, state {r.ModelFacts.PersistentBytes:N0} B");
        Console.WriteLine($"machine  {r.Machine}");
        Console.WriteLine(string.Create(ci, $"time     median {r.MedianUs:F2} us, mean {r.MeanUs:F2}, std {r.StdUs:F2} (noise {r.Noise * 100:F1}%), p99 {r.P99Us:F2}, max {r.MaxUs:F2}  [{r.Iterations} runs, {r.Frames} frames/run]"));
        if (r.SustainedRtf is double srtf)
            Console.WriteLine(string.Create(ci, $"rtf      {srtf:F1}x real time at {r.RateHz} Hz, {r.Frames}-frame blocks (sustained over {r.AudioSeconds} s of signal, median of passes)"));
        else if (r.Rtf is double rtf) Console.WriteLine(string.Create(ci, $"rtf      {rtf:F1}x real time at {r.RateHz} Hz"));
        if (r.Peer is { } p)
        {
            Console.WriteLine(string.Create(ci, $"peer     {p.Name} {p.Version} ({p.Threads} thread{(p.Threads == 1 ? "" : "s")}): median {p.MedianUs:F2} us, p99 {p.P99Us:F2}"));
            Console.WriteLine(string.Create(ci, $"ratio    ours/peer = {r.Ratio:F3} (below 1: EdgeRuntime faster); max |diff| = {r.MaxAbsDiff:G3}"));
        }
        if (r.Layers.Count > 0)
        {
            Console.WriteLine("layers   (each kernel timed on its own; median us, share, MACs)");
            foreach (var l in r.Layers.OrderByDescending(l => l.MedianUs).Take(15))
                Console.WriteLine(string.Create(ci, $"  {l.Share * 100,5:F1}%  {l.MedianUs,10:F2}  {l.Macs,12:N0}  {l.Op,-22} {l.Kernel,-24} {l.Name}"));
        }
    }

    /// <summary><c>edgert bench kernels</c>: implemented by the kernel benchmarks (Kernels area).</summary>
    private static int RunKernels(Args args)
    {
        int? rc = null;
        RunKernelBench(args, ref rc);
        return rc ?? throw new ModelException("kernel benchmarks are not part of this build");
    }

    static partial void RunKernelBench(Args args, ref int? rc);
}
