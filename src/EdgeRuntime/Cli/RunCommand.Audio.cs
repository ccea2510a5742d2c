using System.Globalization;
using EdgeRuntime.Board.Audio;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Import.Nam;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert run MODEL --in in.wav --out out.wav [--block N] [--ignore-rate] [--float]
/// [--no-prewarm] [--slim V]</c>: streams a WAV file through a streaming (audio) model in blocks of N
/// frames. A mono model processes each channel of the file with its own session (own state); a
/// model with as many input channels as the file takes the frames as they are. The output keeps the
/// input's sample format unless <c>--float</c>. A model's expected sample rate must match the file's
/// unless <c>--ignore-rate</c>. NAM models are prewarmed as NAM core does unless <c>--no-prewarm</c>.</summary>
public sealed partial class RunCommand
{
    static partial void RunAudioFiles(Args args, ref int? rc)
    {
        string? inPath = args.Get("in");
        if (inPath is null) return;
        string model = args.Pos(0) ?? throw new UsageException("name the model: edgert run MODEL --in in.wav --out out.wav");
        string outPath = args.Get("out") ?? throw new UsageException("--out FILE.wav is required with --in");
        bool blockGiven = args.Get("block") is not null;
        int block = args.GetInt("block", 64);
        if (block < 1 || block > 65536) throw new UsageException($"--block must be 1..65536, got {block}");
        bool ignoreRate = args.Flag("ignore-rate");
        bool asFloat = args.Flag("float");
        bool noPrewarm = args.Flag("no-prewarm");
        double? slim = args.Get("slim") is { } s
            ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new UsageException($"--slim expects a number, got '{s}'")
            : null;
        args.EnsureAllUsed();

        WavAudio input;
        try { input = WavReader.Read(inPath); }
        catch (AudioFormatException e) { throw new ModelException(e.Message, e); }

        var result = Process(model, input, blockGiven ? block : null, ignoreRate, !noPrewarm, slim, out string note);
        var outAudio = new WavAudio(input.SampleRate, asFloat ? WavSampleFormat.Float32 : input.Format, result);
        try { WavWriter.Write(outPath, outAudio); }
        catch (AudioFormatException e) { throw new ModelException(e.Message, e); }
        Console.WriteLine($"wrote {outPath}: {outAudio.Frames} frames × {outAudio.ChannelCount} channel(s), {outAudio.SampleRate} Hz, {outAudio.Format} ({note})");
        rc = 0;
    }

    /// <summary>Run <paramref name="modelPath"/> (a model file, or a compiled <c>.edge</c> plan whose
    /// block size was fixed at compile time) over the audio; returns the output channels.</summary>
    /// <param name="block">Frames per call; null: 64 for model files, the plan's own for plans.</param>
    internal static float[][] Process(string modelPath, WavAudio input, int? block, bool ignoreRate, bool prewarm, double? slim, out string note)
    {
        bool isPlan = PlanLoader.IsPlanFile(modelPath);
        bool isNam = Path.GetExtension(modelPath).Equals(".nam", StringComparison.OrdinalIgnoreCase);
        if (slim is not null && !isNam)
            throw new UsageException(isPlan ? "--slim applies to .nam model files; a compiled plan's width is fixed" : "--slim applies to .nam models only");
        Plan plan;
        if (isPlan)
        {
            plan = PlanReader.Read(modelPath);
            if (block is int b && plan.Graph.Streaming && b != plan.Graph.MaxFrames)
                throw new UsageException($"{modelPath} was compiled for blocks of {plan.Graph.MaxFrames} frames; recompile with --frames {b} or drop --block");
        }
        else
        {
            int frames = block ?? 64;
            var graph = isNam ? NamImporter.Load(modelPath, new NamImportOptions { MaxFrames = frames, SlimmableSize = slim }) : ModelLoader.Load(modelPath);
            if (!graph.Streaming)
                throw new ModelException($"{modelPath}: not a streaming (audio) model; use --input for tensor files");
            plan = Compiler.Compile(graph, new CompileOptions { MaxFrames = frames });
        }
        var g = plan.Graph;
        if (!g.Streaming)
            throw new ModelException($"{modelPath}: not a streaming (audio) model; use --input for tensor files");
        if (g.SampleRate is double rate && Math.Abs(rate - input.SampleRate) > 1e-6 && !ignoreRate)
            throw new ModelException($"{modelPath} expects {rate.ToString(CultureInfo.InvariantCulture)} Hz audio but the input is {input.SampleRate} Hz; resample the file or pass --ignore-rate");
        if (g.Inputs.Count != 1 || g.Outputs.Count != 1)
            throw new ModelException($"{modelPath}: audio runs need one input and one output, the model has {g.Inputs.Count} and {g.Outputs.Count}");
        int inCh = g[g.Inputs[0]].Shape[^1];
        int outCh = g[g.Outputs[0]].Shape[^1];
        // NAM models carry their prewarm length in the metadata (kept in compiled plans too).
        bool hasPrewarm = g.Metadata.ContainsKey(NamImporter.PrewarmKey);
        int prewarmSamples = prewarm && hasPrewarm ? NamImporter.PrewarmSamples(g) : 0;
        note = $"block {g.MaxFrames}" + (isPlan ? " (compiled plan)" : "") + (hasPrewarm ? prewarm ? $", prewarm {prewarmSamples} samples" : ", no prewarm" : "");
        int blockFrames = g.MaxFrames;

        if (inCh == input.ChannelCount)
        {
            using var session = new Session(plan);
            if (prewarmSamples > 0) NamPrewarm.Run(session, prewarmSamples);
            return Stream(session, input.Channels, inCh, outCh, blockFrames);
        }
        if (inCh != 1)
            throw new ModelException($"{modelPath} takes {inCh} input channels but the file has {input.ChannelCount}");
        if (outCh != 1 && input.ChannelCount > 1)
            throw new ModelException($"{modelPath} has {outCh} output channels; per-channel processing of a {input.ChannelCount}-channel file needs a mono-output model");
        var outputs = new float[input.ChannelCount][];
        for (int c = 0; c < input.ChannelCount; c++)
        {
            using var session = new Session(plan); // each channel has its own state
            if (prewarmSamples > 0) NamPrewarm.Run(session, prewarmSamples);
            var y = Stream(session, [input.Channels[c]], 1, outCh, blockFrames);
            if (outCh == 1) outputs[c] = y[0];
            else return y;
        }
        return outputs;
    }

    /// <summary>Interleave, stream through <see cref="StreamingSession"/> (blocks of ≤ MaxFrames), de-interleave.</summary>
    private static float[][] Stream(Session session, float[][] x, int inCh, int outCh, int block)
    {
        int frames = x[0].Length;
        var xi = new float[(long)frames * inCh];
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < inCh; c++) xi[(long)t * inCh + c] = x[c][t];
        var yi = new float[(long)frames * outCh];
        var streaming = new StreamingSession(session);
        streaming.Process(xi, yi);
        var y = new float[outCh][];
        for (int c = 0; c < outCh; c++)
        {
            y[c] = new float[frames];
            for (int t = 0; t < frames; t++) y[c][t] = yi[(long)t * outCh + c];
        }
        return y;
    }
}
