using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Passes;

/// <summary>Structural folding checked numerically against a naive evaluation written here (the
/// Conv/Gemm operators are not needed: both sides are computed by the test's own loops).</summary>
public class BatchNormFoldingTests
{
    private static readonly Random s_rnd = new(11);
    private static float[] Rand(int n, float lo = -1f, float hi = 1f) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * s_rnd.NextSingle()).ToArray();

    private static void AddBn(Graph g, string input, string output, int c)
    {
        g.Add(Tensor.FromFloats("gamma", [c], Rand(c, 0.5f, 2f)));
        g.Add(Tensor.FromFloats("beta", [c], Rand(c)));
        g.Add(Tensor.FromFloats("mean", [c], Rand(c)));
        g.Add(Tensor.FromFloats("var", [c], Rand(c, 0.1f, 3f)));
        g.Nodes.Add(new Node("BatchNormalization", "bn", [input, "gamma", "beta", "mean", "var"], [output]).Set("epsilon", Ir.Attribute.Of(1e-3f)));
    }

    private static float Bn(Graph g, int c, float v)
    {
        float s = g["gamma"].ConstantFloats[c] / MathF.Sqrt(g["var"].ConstantFloats[c] + 1e-3f);
        return (v - g["mean"].ConstantFloats[c]) * s + g["beta"].ConstantFloats[c];
    }

    private static float[] NaiveGemm(float[] x, int m, int k, Tensor w, bool transB, int n, float[]? bias, float beta)
    {
        var y = new float[m * n];
        var wd = w.ConstantFloats;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int p = 0; p < k; p++) acc += x[i * k + p] * wd[transB ? j * k + p : p * n + j];
                y[i * n + j] = (float)acc + (bias is null ? 0f : beta * bias[bias.Length == 1 ? 0 : j]);
            }
        return y;
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void GemmAbsorbsBatchNorm(bool transB, bool withBias)
    {
        const int m = 3, k = 5, n = 4;
        var g = new Graph { Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [m, k]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("W", transB ? [n, k] : [k, n], Rand(n * k)));
        var inputs = new List<string> { "x", "W" };
        float[]? c = withBias ? Rand(n) : null;
        if (c is not null) { g.Add(Tensor.FromFloats("C", [n], c)); inputs.Add("C"); }
        g.Nodes.Add(new Node("Gemm", "gemm", inputs, ["y"]).Set("transB", Ir.Attribute.Of(transB ? 1L : 0L)).Set("beta", Ir.Attribute.Of(0.5f)));
        g.Add(new Tensor("y", DataType.Float32, [m, n]));
        AddBn(g, "y", "out", n);
        g.Add(new Tensor("out", DataType.Float32, [m, n]));
        g.Outputs.Add("out");

        var x = Rand(m * k);
        var expected = NaiveGemm(x, m, k, g["W"], transB, n, c, 0.5f);
        for (int i = 0; i < expected.Length; i++) expected[i] = Bn(g, i % n, expected[i]);

        Assert.Equal(1, BatchNormFolding.Run(g));
        var gemm = Assert.Single(g.Nodes);
        Assert.Equal("out", gemm.Outputs[0]);
        Assert.False(g.Tensors.ContainsKey("y"));
        var got = NaiveGemm(x, m, k, g[gemm.Inputs[1]], transB, n, g[gemm.Inputs[2]].ConstantFloats.ToArray(), gemm.GetFloat("beta", 1f));
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-5f);
    }

    [Fact]
    public void Conv1dAbsorbsBatchNorm()
    {
        const int cin = 2, cout = 3, len = 7, kw = 3, outLen = len - kw + 1;
        var g = new Graph { Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [1, cin, len]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("W", [cout, cin, kw], Rand(cout * cin * kw)));
        g.Add(Tensor.FromFloats("B", [cout], Rand(cout)));
        g.Nodes.Add(new Node("Conv", "conv", ["x", "W", "B"], ["y"]));
        g.Add(new Tensor("y", DataType.Float32, [1, cout, outLen]));
        AddBn(g, "y", "out", cout);
        g.Add(new Tensor("out", DataType.Float32, [1, cout, outLen]));
        g.Outputs.Add("out");

        float[] Conv(float[] x, ReadOnlySpan<float> w, ReadOnlySpan<float> b)
        {
            var y = new float[cout * outLen];
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < outLen; t++)
                {
                    float acc = b[o];
                    for (int ci = 0; ci < cin; ci++)
                        for (int j = 0; j < kw; j++) acc += w[(o * cin + ci) * kw + j] * x[ci * len + t + j];
                    y[o * outLen + t] = acc;
                }
            return y;
        }
        var xs = Rand(cin * len);
        var expected = Conv(xs, g["W"].ConstantFloats, g["B"].ConstantFloats);
        for (int i = 0; i < expected.Length; i++) expected[i] = Bn(g, i / outLen, expected[i]);

        Assert.Equal(1, BatchNormFolding.Run(g));
        var conv = Assert.Single(g.Nodes);
        var got = Conv(xs, g[conv.Inputs[1]].ConstantFloats, g[conv.Inputs[2]].ConstantFloats);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-5f);
        Assert.NotEqual("W", conv.Inputs[1]); // the original weights are left untouched (may be shared)
    }

    [Fact]
    public void MatMulPlusAddAbsorbsBatchNorm()
    {
        const int m = 2, k = 3, n = 4;
        var g = new Graph { Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [m, k]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("W", [k, n], Rand(k * n)));
        g.Add(Tensor.FromFloats("b", [n], Rand(n)));
        g.Nodes.Add(new Node("MatMul", "mm", ["x", "W"], ["p"]));
        g.Add(new Tensor("p", DataType.Float32, [m, n]));
        g.Nodes.Add(new Node("Add", "add", ["p", "b"], ["y"]));
        g.Add(new Tensor("y", DataType.Float32, [m, n]));
        AddBn(g, "y", "out", n);
        g.Add(new Tensor("out", DataType.Float32, [m, n]));
        g.Outputs.Add("out");
        var x = Rand(m * k);
        var expected = NaiveGemm(x, m, k, g["W"], false, n, g["b"].ConstantFloats.ToArray(), 1f);
        for (int i = 0; i < expected.Length; i++) expected[i] = Bn(g, i % n, expected[i]);

        Assert.Equal(1, BatchNormFolding.Run(g));
        Assert.Equal(["MatMul", "Add"], g.Nodes.Select(x => x.OpType));
        Assert.Equal("out", g.Nodes[1].Outputs[0]);
        var got = NaiveGemm(x, m, k, g[g.Nodes[0].Inputs[1]], false, n, g[g.Nodes[1].Inputs[1]].ConstantFloats.ToArray(), 1f);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-5f);
    }

    [Fact]
    public void IntermediateWithAnotherConsumerIsNotFolded()
    {
        var g = new Graph { Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [2, 3]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("W", [4, 3], Rand(12)));
        g.Nodes.Add(new Node("Gemm", "gemm", ["x", "W"], ["y"]).Set("transB", Ir.Attribute.Of(1L)));
        g.Add(new Tensor("y", DataType.Float32, [2, 4]));
        AddBn(g, "y", "out", 4);
        g.Nodes.Add(new Node("Identity", "tap", ["y"], ["y2"]));
        g.Outputs.Add("out");
        g.Outputs.Add("y2");
        Assert.Equal(0, BatchNormFolding.Run(g));
        Assert.Equal(3, g.Nodes.Count);
    }
}
