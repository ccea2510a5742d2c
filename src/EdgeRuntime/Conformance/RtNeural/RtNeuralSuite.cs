using EdgeRuntime.Cli;
using EdgeRuntime.Execution;
using EdgeRuntime.Import.RTNeural;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Conformance.RtNeural;

/// <summary><c>edgert conformance rtneural</c>: every model in <c>../shared/conformance/rtneural</c>
/// against RTNeural's reference outputs, with the tolerances and warm-up/cropping rules of RTNeural's
/// own tests (see that folder's README). Models run in streaming mode: Reset, then the whole input
/// signal, frame by frame, in blocks of up to 64 frames.</summary>
public sealed class RtNeuralSuite : IConformanceSuite
{
    public string Name => "rtneural";
    public string DefaultDataDir => ConformanceCommand.SharedDir("conformance", "rtneural");

    private sealed record Expect(string Case, Func<string, Graph> Load, string Input, bool InputChannelMajor,
        string Reference, bool RefChannelMajor, int Offset, int Stride, double Tolerance, Func<float[], int, float[]>? Prepare = null);

    public ConformanceReport Run(string dataDir, Args args, TextWriter log)
    {
        var report = new ConformanceReport();
        string? filter = args.Get("filter");
        bool verbose = args.Flag("verbose");
        string M(string p) => Path.Combine(dataDir, "models", p);
        string T(string p) => Path.Combine(dataDir, "test_data", p);
        string BR(string p) => Path.Combine(dataDir, "bench", "reference", p);
        Graph Keras(string path) => RtNeuralImporter.Load(path);

        var cases = new List<Expect>
        {
            new("models/dense.json", Keras, T("dense_x_python.csv"), false, T("dense_y_python.csv"), false, 0, 1, 1e-6),
            new("models/gru.json", Keras, T("gru_x_python.csv"), false, T("gru_y_python.csv"), false, 0, 1, 5e-6),
            new("models/gru_1d.json", Keras, T("gru_1d_x_python.csv"), false, T("gru_1d_y_python.csv"), false, 0, 1, 1e-6),
            new("models/lstm.json", Keras, T("lstm_x_python.csv"), false, T("lstm_y_python.csv"), false, 0, 1, 1e-6),
            new("models/lstm_1d.json", Keras, T("lstm_1d_x_python.csv"), false, T("lstm_1d_y_python.csv"), false, 0, 1, 1e-6),
            new("models/conv.json", Keras, T("conv_x_python.csv"), false, T("conv_y_python.csv"), false, 0, 1, 1e-6),
            // Valid (stateless) conv stack = causal streaming stack cropped by the summed receptive fields (64+32+12+4).
            new("models/conv_stateless.json", Keras, T("conv_stateless_x_python.csv"), false, T("conv_stateless_y_python.csv"), false, 112, 1, 1e-6),
            new("models/full_model.json", Keras, BR("input.csv"), false, BR("full_model.csv"), false, 0, 1, 1e-5),
            new("models/gru_torch.json", Keras, T("gru_torch_x_python.csv"), false, T("gru_torch_y_python.csv"), false, 0, 1, 1e-6),
            new("models/lstm_torch.json", Keras, T("lstm_torch_x_python.csv"), false, T("lstm_torch_y_python.csv"), false, 0, 1, 1e-6),
            new("models/conv1d_torch.json", p => TorchConv(p, 5, 1, 1), T("conv1d_torch_x_python.csv"), false, T("conv1d_torch_y_python.csv"), true, 4, 1, 1e-6),
            new("models/conv1d_torch_stride_3.json", p => TorchConv(p, 5, 1, 1), T("conv1d_torch_x_python_stride_3.csv"), false, T("conv1d_torch_y_python_stride_3.csv"), true, 4, 3, 1e-6),
            new("models/convtranspose1d_torch.json", TorchConvTranspose, T("convtranspose1d_torch_x_python.csv"), true, T("convtranspose1d_torch_y_python.csv"), true, 3, 1, 2e-5, ZeroStuff3),
            new("models/convtranspose1d_torch.json (cached_conv)", TorchConvTranspose, T("convtranspose1d_torch_x_python_cc.csv"), true, T("convtranspose1d_torch_y_python_cc.csv"), true, 0, 1, 2e-5, ZeroStuff3),
            new("models/microtcn", p => MicroTcn(M("microtcn")), T("microtcn_x.csv"), false, T("microtcn_y.csv"), true, 30, 1, 1e-6),
        };
        foreach (var (i, o, k, d, g) in new[] { (6, 3, 3, 1, 3), (6, 3, 4, 10, 3), (6, 6, 1, 1, 6) })
        {
            string n = $"{i}_{o}_{k}_{d}_{g}";
            cases.Add(new($"models/conv1d_torch_group_{n}.json", p => TorchConv(p, k, d, g), T("conv1d_torch_group_x_python.csv"), false,
                T($"conv1d_torch_group_y_python_{n}.csv"), true, (k - 1) * d, 1, 1e-6));
        }
        var benchDir = Path.Combine(dataDir, "bench", "models");
        if (Directory.Exists(benchDir))
            foreach (var f in Directory.GetFiles(benchDir, "*.json").Order(StringComparer.Ordinal))
                cases.Add(new($"bench/models/{Path.GetFileName(f)}", Keras, BR("input.csv"), false, BR(Path.GetFileNameWithoutExtension(f) + ".csv"), false, 0, 1, 1e-5));

        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            string modelPath = c.Case.StartsWith("bench/", StringComparison.Ordinal) ? Path.Combine(dataDir, c.Case)
                : c.Case.StartsWith("models/microtcn", StringComparison.Ordinal) ? M("microtcn")
                : Path.Combine(dataDir, c.Case.Split(' ')[0]);
            covered.Add(Path.GetFullPath(modelPath));
            if (filter is not null && !c.Case.Contains(filter, StringComparison.Ordinal)) continue;
            try
            {
                string? why = Check(c, modelPath, log, verbose);
                if (why is null) { report.Pass(); log.WriteLine($"ok   {c.Case}"); }
                else report.Fail(c.Case, why);
            }
            catch (Exception e) when (e is ModelException or IOException)
            {
                report.Fail(c.Case, e.Message);
            }
        }

        // Files with no reference: must be refused (bad_lstm) or load and run with finite outputs.
        void Special(string rel, Func<string?> check)
        {
            string full = Path.Combine(dataDir, rel);
            covered.Add(Path.GetFullPath(full));
            if (filter is not null && !rel.Contains(filter, StringComparison.Ordinal)) return;
            if (!File.Exists(full)) { report.Fail(rel, "file missing"); return; }
            string? why;
            try { why = check(); }
            catch (Exception e) when (e is ModelException or IOException) { why = e.Message; }
            if (why is null) { report.Pass(); log.WriteLine($"ok   {rel}"); } else report.Fail(rel, why);
        }
        Special("models/bad_lstm.json", () =>
        {
            try { RtNeuralImporter.Load(M("bad_lstm.json")); return "loaded, but its LSTM weights (20 units) contradict its declared size 16"; }
            catch (ModelException e) { if (verbose) log.WriteLine($"     refused as expected: {e.Message}"); return e.Message.Contains("layer 0", StringComparison.Ordinal) ? null : $"refused without naming the layer: {e.Message}"; }
        });
        Special("models/full_model.json", () => RunFinite(RtNeuralImporter.Load(M("full_model.json")), CsvMatrix.Read(T("dense_x_python.csv")).Flat()));
        foreach (var ex in new[] { "examples/hello_rtneural/test_net.json", "examples/rtneural_static_model/test_net.json" })
            Special(ex, () => RunFinite(RtNeuralImporter.Load(Path.Combine(dataDir, ex)), CsvMatrix.Read(T("dense_x_python.csv")).Flat()));
        Special("examples/custom_layer_model/test_net.json", () =>
        {
            try { RtNeuralImporter.Load(Path.Combine(dataDir, "examples/custom_layer_model/test_net.json")); return "loaded a model with an unknown custom layer"; }
            catch (ModelException e) { return e.Message.Contains("gated_activation", StringComparison.Ordinal) ? null : $"refused without naming the custom layer: {e.Message}"; }
        });
        Special("models/conv2d.json", () => Conv2DCase(dataDir, M("conv2d.json"), T("conv2d_x_python.csv"), T("conv2d_y_python.csv")));

        // Anything in the folder not covered above is a failure: every model must be checked.
        foreach (var f in Directory.EnumerateFiles(dataDir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string full = Path.GetFullPath(f);
            if (covered.Contains(full) || covered.Contains(Path.GetDirectoryName(full)!)) continue;
            string rel = Path.GetRelativePath(dataDir, f);
            if (filter is null || rel.Contains(filter, StringComparison.Ordinal)) report.Fail(rel, "no conformance rule for this model");
        }
        return report;
    }

    private static string? Check(Expect c, string modelPath, TextWriter log, bool verbose)
    {
        var g = c.Load(modelPath);
        var xin = CsvMatrix.Read(c.Input);
        var yref = CsvMatrix.Read(c.Reference);
        using var s = new StreamingSession(g, 64);
        int cin = s.InputChannels, cout = s.OutputChannels;
        float[] x = c.InputChannelMajor ? xin.TransposedFlat() : xin.Flat();
        if (x.Length % cin != 0) return $"input has {x.Length} values, not whole frames of {cin} channels";
        if (c.Prepare is not null) x = c.Prepare(x, cin);
        int frames = x.Length / cin;
        var y = new float[frames * cout];
        s.Reset();
        s.Process(x, y);
        // Reference as [n][channel].
        int refChannels = c.RefChannelMajor ? yref.RowCount : yref.ColCount;
        int refLen = c.RefChannelMajor ? yref.ColCount : yref.RowCount;
        if (refChannels != cout) return $"model gives {cout} output channels, reference has {refChannels}";
        double worst = 0; int worstAt = -1;
        for (int n = 0; n < refLen; n++)
        {
            int t = c.Offset + n * c.Stride;
            if (t >= frames) return $"reference has {refLen} outputs but the input gives only {frames} frames (offset {c.Offset}, stride {c.Stride})";
            for (int ch = 0; ch < cout; ch++)
            {
                double want = c.RefChannelMajor ? yref.Rows[ch][n] : yref.Rows[n][ch];
                double got = y[(long)t * cout + ch];
                double err = Math.Abs(want - got);
                if (!(err <= worst)) { worst = err; worstAt = n; }
            }
        }
        if (verbose) log.WriteLine($"     {c.Case}: max |err| {worst:E2} (tolerance {c.Tolerance:E0}) over {refLen}x{cout}");
        return worst <= c.Tolerance ? null : $"max |error| {worst:E3} at output {worstAt} exceeds {c.Tolerance:E0}";
    }

    private static string? RunFinite(Graph g, float[] x)
    {
        using var s = new StreamingSession(g, 64);
        if (s.InputChannels != 1) return $"expected a 1-input model, got {s.InputChannels}";
        var y = new float[x.Length * s.OutputChannels];
        s.Process(x, y);
        return y.All(float.IsFinite) ? null : "non-finite output";
    }

    /// <summary>torch Conv1d state_dict ({weight [out][in/g][k], bias}) as a causal streaming conv.</summary>
    public static Graph TorchConv(string path, int kernel, int dilation, int groups)
    {
        var t = TorchStateDict.Read(path);
        var w = TorchStateDict.Get(t, "weight", path);
        if (w.Rank != 3 || w.Shape[2] != kernel) throw new ModelException($"{path}: weight is {w.ShapeText}, expected [out][in/groups][{kernel}]");
        var b = new RtNeuralGraphBuilder(path, w.Shape[1] * groups);
        b.Conv1D(w.Data, w.Shape[0], kernel, dilation, groups, t.TryGetValue("bias", out var bias) ? bias.Data : null);
        return b.Finish();
    }

    /// <summary>torch ConvTranspose1d(4, 15, k5, stride 3, padding 3) as RTNeural runs it: a causal conv over
    /// the zero-stuffed input with the kernel reversed and in/out transposed.</summary>
    public static Graph TorchConvTranspose(string path)
    {
        var t = TorchStateDict.Read(path);
        var w = TorchStateDict.Get(t, "weight", path);
        if (w.Rank != 3) throw new ModelException($"{path}: weight is {w.ShapeText}, expected [in][out][k]");
        int cin = w.Shape[0], cout = w.Shape[1], k = w.Shape[2];
        var wc = new float[cout * cin * k];
        for (int i = 0; i < cin; i++)
            for (int o = 0; o < cout; o++)
                for (int j = 0; j < k; j++)
                    wc[(o * cin + i) * k + (k - 1 - j)] = w.Data[(i * cout + o) * k + j];
        var b = new RtNeuralGraphBuilder(path, cin);
        b.Conv1D(wc, cout, k, 1, 1, t.TryGetValue("bias", out var bias) ? bias.Data : null);
        return b.Finish();
    }

    /// <summary>Insert two zero frames after each input frame (stride 3), plus trailing zeros so the last outputs exist.</summary>
    private static float[] ZeroStuff3(float[] x, int channels)
    {
        int frames = x.Length / channels;
        int outFrames = (frames - 1) * 3 + 1 + 8;
        var y = new float[outFrames * channels];
        for (int f = 0; f < frames; f++) Array.Copy(x, f * channels, y, f * 3 * channels, channels);
        return y;
    }

    /// <summary>microTCN block from RTNeural's tests: PReLU(BN(Conv1d(1,32,k4,d10))) + Conv1d(1,32,k1)(x).</summary>
    public static Graph MicroTcn(string dir)
    {
        var conv1 = TorchStateDict.Read(Path.Combine(dir, "conv1.json"));
        var bn = TorchStateDict.Read(Path.Combine(dir, "bn.json"));
        var prelu = TorchStateDict.Read(Path.Combine(dir, "relu.json"));
        var res = TorchStateDict.Read(Path.Combine(dir, "res.json"));
        var b = new RtNeuralGraphBuilder(dir, 1);
        var w1 = TorchStateDict.Get(conv1, "weight", dir);
        b.Conv1D(w1.Data, w1.Shape[0], w1.Shape[2], 10, 1, null);
        float eps = bn.TryGetValue("eps", out var e) ? e.Data[0] : 1e-5f;
        b.BatchNorm(TorchStateDict.Get(bn, "running_mean", dir).Data, TorchStateDict.Get(bn, "running_var", dir).Data,
            TorchStateDict.Get(bn, "weight", dir).Data, TorchStateDict.Get(bn, "bias", dir).Data, eps);
        string main = b.PRelu(TorchStateDict.Get(prelu, "weight", dir).Data);
        int width = b.Channels;
        b.Select("input", 1);
        var wr = TorchStateDict.Get(res, "weight", dir);
        string r = b.Conv1D(wr.Data, wr.Shape[0], wr.Shape[2], 1, 1, null);
        b.Sum(main, r, width);
        return b.Finish();
    }

    private static string? Conv2DCase(string dataDir, string model, string xPath, string yPath)
    {
        // RTNeural's rule (conv2d_model_test.cpp): RTNeural is causal in time, so its first valid frame is
        // receptive_field − 1; TensorFlow pads 'same' layers symmetrically, so its matching frame is the
        // sum of (rf − 1)/2 over 'same' layers.
        var g = RtNeuralImporter.Load(model);
        int rf = 1, padLeft = 0;
        foreach (var n in g.Nodes.Where(n => n.OpType == "CausalConv2D"))
        {
            int r = (int)((g[n.Inputs[1]].Shape[0] - 1) * n.GetInt("dilation", 1) + 1);
            rf += r - 1;
            if (n.GetInt("same_padding", 0) != 0) padLeft += (r - 1) / 2;
        }
        using var s = new StreamingSession(g, 64);
        var x = CsvMatrix.Read(xPath).Flat();
        var yref = CsvMatrix.Read(yPath).Flat();
        int frames = x.Length / s.InputChannels, cout = s.OutputChannels;
        var y = new float[frames * cout];
        s.Process(x, y);
        int valid = frames - (rf - 1);
        if (yref.Length < (padLeft + valid) * cout) return $"reference has {yref.Length} values, expected at least {(padLeft + valid) * cout}";
        double worst = 0;
        for (int n = 0; n < valid; n++)
            for (int i = 0; i < cout; i++)
                worst = Math.Max(worst, Math.Abs(yref[(padLeft + n) * cout + i] - y[(rf - 1 + n) * cout + i]));
        return worst <= 1e-6 ? null : $"max |error| {worst:E3} over {valid} valid frames exceeds 1E-06";
    }
}
