using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Recurrent;

/// <summary>GRU/LSTM/RNN against a plain double-precision transcription of the ONNX operator
/// definitions (written independently of the kernel: no packing, no fused gates).</summary>
public class RecurrentOperatorTests
{
    private static float[] Rand(Random r, int n, float scale = 0.5f) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1) * scale).ToArray();

    private sealed record Case(string Op, int Seq, int Batch, int In, int H, string Direction = "forward", int Layout = 0,
        bool Lbr = false, float Clip = 0, bool Peep = false, bool InitState = true, bool WeightsAsInputs = false, string[]? Acts = null);

    private static double Act(string name, double v) => name switch
    {
        "Sigmoid" => 1 / (1 + Math.Exp(-v)),
        "Tanh" => Math.Tanh(v),
        "Relu" => Math.Max(0, v),
        "HardSigmoid" => Math.Max(0, Math.Min(1, 0.2 * v + 0.5)),
        "LeakyRelu" => v >= 0 ? v : 0.01 * v,
        _ => throw new ArgumentException(name),
    };

    /// <summary>Reference: returns Y in ONNX layout, Y_h and Y_c.</summary>
    private static (double[] y, double[] yh, double[] yc) Reference(Case c, float[] x, float[] w, float[] r, float[] b, float[] h0, float[] c0, float[] p)
    {
        int G = c.Op switch { "GRU" => 3, "LSTM" => 4, _ => 1 };
        int D = c.Direction == "bidirectional" ? 2 : 1, H = c.H, I = c.In, T = c.Seq, B = c.Batch;
        var y = new double[T * D * B * H];
        var yh = new double[D * B * H];
        var yc = new double[D * B * H];
        string[] acts = c.Acts ?? (c.Op switch { "GRU" => ["Sigmoid", "Tanh"], "LSTM" => ["Sigmoid", "Tanh", "Tanh"], _ => ["Tanh"] });
        double Clip(double v) => c.Clip > 0 ? Math.Clamp(v, -c.Clip, c.Clip) : v;
        double X(int t, int bb, int i) => c.Layout == 0 ? x[(t * B + bb) * I + i] : x[(bb * T + t) * I + i];
        int SI(int d, int bb) => c.Layout == 0 ? (d * B + bb) * H : (bb * D + d) * H;
        int YI(int t, int d, int bb) => c.Layout == 0 ? ((t * D + d) * B + bb) * H : ((bb * T + t) * D + d) * H;
        for (int d = 0; d < D; d++)
            for (int bb = 0; bb < B; bb++)
            {
                var h = new double[H];
                var cc = new double[H];
                for (int j = 0; j < H; j++) { h[j] = h0.Length > 0 ? h0[SI(d, bb) + j] : 0; cc[j] = c0.Length > 0 ? c0[SI(d, bb) + j] : 0; }
                bool rev = c.Direction == "reverse" || d == 1;
                for (int s = 0; s < T; s++)
                {
                    int t = rev ? T - 1 - s : s;
                    double Wx(int row) { double a = 0; for (int i = 0; i < I; i++) a += w[(d * G * H + row) * I + i] * X(t, bb, i); return a + b[d * 2 * G * H + row]; }
                    double Rh(int row, double[] v) { double a = 0; for (int i = 0; i < H; i++) a += r[(d * G * H + row) * H + i] * v[i]; return a; }
                    double Rb(int row) => b[d * 2 * G * H + G * H + row];
                    var nh = new double[H];
                    if (c.Op == "GRU")
                    {
                        var z = new double[H]; var rg = new double[H];
                        for (int j = 0; j < H; j++) { z[j] = Act(acts[0], Clip(Wx(j) + Rh(j, h) + Rb(j))); rg[j] = Act(acts[0], Clip(Wx(H + j) + Rh(H + j, h) + Rb(H + j))); }
                        var rh = h.Select((v, j) => v * rg[j]).ToArray();
                        for (int j = 0; j < H; j++)
                        {
                            double n = c.Lbr ? Wx(2 * H + j) + rg[j] * (Rh(2 * H + j, h) + Rb(2 * H + j)) : Wx(2 * H + j) + Rh(2 * H + j, rh) + Rb(2 * H + j);
                            n = Act(acts[1], Clip(n));
                            nh[j] = (1 - z[j]) * n + z[j] * h[j];
                        }
                    }
                    else if (c.Op == "LSTM")
                    {
                        for (int j = 0; j < H; j++)
                        {
                            double pi = c.Peep ? p[d * 3 * H + j] : 0, po = c.Peep ? p[d * 3 * H + H + j] : 0, pf = c.Peep ? p[d * 3 * H + 2 * H + j] : 0;
                            double ig = Act(acts[0], Clip(Wx(j) + Rh(j, h) + Rb(j) + pi * cc[j]));
                            double fg = Act(acts[0], Clip(Wx(2 * H + j) + Rh(2 * H + j, h) + Rb(2 * H + j) + pf * cc[j]));
                            double cg = Act(acts[1], Clip(Wx(3 * H + j) + Rh(3 * H + j, h) + Rb(3 * H + j)));
                            double cn = fg * cc[j] + ig * cg;
                            double og = Act(acts[0], Clip(Wx(H + j) + Rh(H + j, h) + Rb(H + j) + po * cn));
                            nh[j] = og * Act(acts[2], cn);
                            cc[j] = cn;
                        }
                    }
                    else
                        for (int j = 0; j < H; j++) nh[j] = Act(acts[0], Clip(Wx(j) + Rh(j, h) + Rb(j)));
                    h = nh;
                    for (int j = 0; j < H; j++) y[YI(t, d, bb) + j] = h[j];
                }
                for (int j = 0; j < H; j++) { yh[SI(d, bb) + j] = h[j]; yc[SI(d, bb) + j] = cc[j]; }
            }
        return (y, yh, yc);
    }

    private static void Check(Case c)
    {
        var rnd = new Random(c.GetHashCode() & 0xffff);
        int G = c.Op switch { "GRU" => 3, "LSTM" => 4, _ => 1 };
        int D = c.Direction == "bidirectional" ? 2 : 1;
        var x = Rand(rnd, c.Seq * c.Batch * c.In, 1f);
        var w = Rand(rnd, D * G * c.H * c.In);
        var r = Rand(rnd, D * G * c.H * c.H);
        var b = Rand(rnd, D * 2 * G * c.H);
        var h0 = c.InitState ? Rand(rnd, D * c.Batch * c.H) : [];
        var c0 = c.InitState && c.Op == "LSTM" ? Rand(rnd, D * c.Batch * c.H) : [];
        var p = c.Peep ? Rand(rnd, D * 3 * c.H) : [];
        var g = new Graph { Name = "rnn", Source = "test" };
        int[] xs = c.Layout == 0 ? [c.Seq, c.Batch, c.In] : [c.Batch, c.Seq, c.In];
        int[] ss = c.Layout == 0 ? [D, c.Batch, c.H] : [c.Batch, D, c.H];
        g.Add(new Tensor("X", DataType.Float32, xs)); g.Inputs.Add("X");
        void Param(string name, int[] shape, float[] data)
        {
            if (c.WeightsAsInputs) { g.Add(new Tensor(name, DataType.Float32, shape)); g.Inputs.Add(name); }
            else g.Add(Tensor.FromFloats(name, shape, data));
        }
        Param("W", [D, G * c.H, c.In], w);
        Param("R", [D, G * c.H, c.H], r);
        Param("B", [D, 2 * G * c.H], b);
        var inputs = new List<string> { "X", "W", "R", "B", "" };
        if (c.InitState) { Param("h0", ss, h0); inputs.Add("h0"); } else inputs.Add("");
        if (c.Op == "LSTM")
        {
            if (c.InitState) { Param("c0", ss, c0); inputs.Add("c0"); } else inputs.Add("");
            if (c.Peep) { Param("P", [D, 3 * c.H], p); inputs.Add("P"); }
        }
        var outs = c.Op == "LSTM" ? new[] { "Y", "Y_h", "Y_c" } : new[] { "Y", "Y_h" };
        var node = new Node(c.Op, "rnn0", inputs, outs);
        node.Set("hidden_size", Ir.Attribute.Of((long)c.H)).Set("direction", Ir.Attribute.Of(c.Direction)).Set("layout", Ir.Attribute.Of((long)c.Layout));
        if (c.Lbr) node.Set("linear_before_reset", Ir.Attribute.Of(1L));
        if (c.Clip > 0) node.Set("clip", Ir.Attribute.Of(c.Clip));
        if (c.Acts is not null) node.Set("activations", Ir.Attribute.Of(D == 2 ? [.. c.Acts, .. c.Acts] : c.Acts));
        g.Nodes.Add(node);
        g.Outputs.AddRange(outs);
        using var s = new Session(Compiler.Compile(g));
        x.CopyTo(s.Input(0));
        if (c.WeightsAsInputs)
        {
            var data = new List<float[]> { w, r, b };
            if (c.InitState) data.Add(h0);
            if (c.Op == "LSTM" && c.InitState) data.Add(c0);
            if (c.Peep) data.Add(p);
            for (int i = 0; i < data.Count; i++) data[i].CopyTo(s.Input(i + 1));
        }
        for (int rep = 0; rep < 2; rep++) // repeated runs restart from the initial state
        {
            s.Run();
            var (ry, ryh, ryc) = Reference(c, x, w, r, b, h0, c0, p);
            AssertClose(ry, s.Output(0), c + " Y");
            AssertClose(ryh, s.Output(1), c + " Y_h");
            if (c.Op == "LSTM") AssertClose(ryc, s.Output(2), c + " Y_c");
        }
    }

    private static void AssertClose(double[] want, ReadOnlySpan<float> got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 2e-5 + 1e-5 * Math.Abs(want[i]), $"{what}[{i}]: want {want[i]}, got {got[i]}");
    }

    public static TheoryData<string> Names => new() { "gru", "gru_lbr", "gru_rev", "gru_bi_layout1", "gru_clip_acts", "gru_runtime_weights",
        "lstm", "lstm_peep", "lstm_bi", "lstm_layout1_noinit", "lstm_clip", "lstm_runtime", "rnn", "rnn_bi_relu", "gru_h20",
        "gru_cell_layout1_noinit", "lstm_cell", "lstm_cell_layout1_noinit" };

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesOnnxDefinition(string name)
    {
        Case c = name switch
        {
            "gru" => new("GRU", 5, 2, 3, 4),
            "gru_lbr" => new("GRU", 5, 2, 3, 5, Lbr: true),
            "gru_rev" => new("GRU", 4, 3, 2, 6, Direction: "reverse"),
            "gru_bi_layout1" => new("GRU", 4, 2, 3, 9, Direction: "bidirectional", Layout: 1, Lbr: true),
            "gru_clip_acts" => new("GRU", 6, 1, 3, 4, Clip: 0.4f, Acts: ["HardSigmoid", "LeakyRelu"]),
            "gru_runtime_weights" => new("GRU", 3, 2, 3, 8, WeightsAsInputs: true, Lbr: true),
            "gru_h20" => new("GRU", 7, 1, 1, 20, Lbr: true),
            // batch 1, forward, default activations, constant weights: the kernel library's cells
            "gru_cell_layout1_noinit" => new("GRU", 5, 1, 4, 33, Layout: 1, Lbr: true, InitState: false),
            "lstm_cell" => new("LSTM", 6, 1, 3, 10),
            "lstm_cell_layout1_noinit" => new("LSTM", 4, 1, 2, 17, Layout: 1, InitState: false),
            "lstm" => new("LSTM", 5, 2, 3, 4),
            "lstm_peep" => new("LSTM", 5, 2, 3, 7, Peep: true),
            "lstm_bi" => new("LSTM", 4, 1, 3, 12, Direction: "bidirectional"),
            "lstm_layout1_noinit" => new("LSTM", 3, 2, 2, 3, Layout: 1, InitState: false),
            "lstm_clip" => new("LSTM", 5, 1, 2, 3, Clip: 0.3f),
            "lstm_runtime" => new("LSTM", 3, 2, 2, 16, WeightsAsInputs: true, Peep: true),
            "rnn" => new("RNN", 5, 2, 3, 4),
            "rnn_bi_relu" => new("RNN", 4, 2, 3, 5, Direction: "bidirectional", Acts: ["Relu"]),
            _ => throw new ArgumentException(name),
        };
        Check(c);
    }

    [Fact]
    public void SequenceLensShorterThanTheSequenceAreRefused()
    {
        var g = new Graph { Name = "rnn", Source = "test" };
        g.Add(new Tensor("X", DataType.Float32, [4, 1, 2])); g.Inputs.Add("X");
        g.Add(Tensor.FromFloats("W", [1, 3, 2], new float[6]));
        g.Add(Tensor.FromFloats("R", [1, 3, 1], new float[3]));
        g.Add(new Tensor("L", DataType.Int32, [1], BitConverter.GetBytes(3)));
        g.Nodes.Add(new Node("GRU", "g0", ["X", "W", "R", "", "L"], ["Y"]));
        g.Outputs.Add("Y");
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("sequence_lens", e.Message);
        Assert.Contains("g0", e.Message);
    }

    [Fact]
    public void WrongWeightShapeNamesTheNodeAndTensor()
    {
        var g = new Graph { Name = "rnn", Source = "test" };
        g.Add(new Tensor("X", DataType.Float32, [4, 1, 2])); g.Inputs.Add("X");
        g.Add(Tensor.FromFloats("W", [1, 12, 3], new float[36]));
        g.Add(Tensor.FromFloats("R", [1, 12, 3], new float[36]));
        g.Nodes.Add(new Node("LSTM", "l0", ["X", "W", "R"], ["Y"]));
        g.Outputs.Add("Y");
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("l0", e.Message);
        Assert.Contains("W must be", e.Message);
    }
}
