using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Tests.Passes;

/// <summary>The optimization passes must not change results: the same graph compiled with and
/// without them gives outputs equal within 1e-5.</summary>
public class OptimizedEqualsUnoptimizedTests
{
    private static float[] RunBoth(Func<Graph> build, float[] x, out Plan optimized, out Plan plain)
    {
        optimized = Compiler.Compile(build());
        plain = Compiler.Compile(build(), new CompileOptions { Optimize = false });
        using var a = new Session(optimized);
        using var b = new Session(plain);
        x.CopyTo(a.Input(0));
        x.CopyTo(b.Input(0));
        a.Run();
        b.Run();
        var ra = a.Output(0).ToArray();
        var rb = b.Output(0).ToArray();
        Assert.Equal(rb.Length, ra.Length);
        for (int i = 0; i < ra.Length; i++) Assert.Equal(rb[i], ra[i], 1e-5f);
        return ra;
    }

    [Fact]
    public void ConstantSubgraphsFoldAndResultsAgree()
    {
        Graph Build()
        {
            var g = new Graph { Source = "test" };
            g.Add(new Tensor("x", DataType.Float32, [2, 3]));
            g.Inputs.Add("x");
            g.Add(Tensor.FromFloats("c1", [3], [1f, -2f, 3f]));
            g.Add(Tensor.FromFloats("c2", [3], [0.5f, 0.25f, -1f]));
            g.Nodes.Add(new Node("Mul", "m", ["c1", "c2"], ["c3"]));
            g.Nodes.Add(new Node("Abs", "abs", ["c3"], ["c4"]));
            g.Nodes.Add(new Node("Sqrt", "sq", ["c4"], ["c5"]));
            g.Nodes.Add(new Node("Shape", "shape", ["x"], ["s"]));
            g.Nodes.Add(new Node("Add", "add", ["x", "c5"], ["y"]));
            g.Nodes.Add(new Node("Reshape", "rs", ["y", "s"], ["y2"]));
            g.Nodes.Add(new Node("Tanh", "t", ["y2"], ["out"]));
            g.Outputs.Add("out");
            return g;
        }
        float[] x = [0.1f, -0.2f, 0.3f, 1f, 2f, -3f];
        var got = RunBoth(Build, x, out var opt, out var plain);
        // Independent expectation: c5 = sqrt(|c1*c2|) = [sqrt(.5), sqrt(.5), sqrt(3)].
        float[] c5 = [MathF.Sqrt(0.5f), MathF.Sqrt(0.5f), MathF.Sqrt(3f)];
        for (int i = 0; i < 6; i++) Assert.Equal(MathF.Tanh(x[i] + c5[i % 3]), got[i], 1e-5f);
        Assert.DoesNotContain(opt.Graph.Nodes, n => n.OpType is "Mul" or "Abs" or "Sqrt" or "Shape");
        Assert.True(opt.Graph.Nodes.Count < plain.Graph.Nodes.Count);
    }

    [Fact]
    public void SequentialChainArenaEqualsLowerBound()
    {
        var g = new Graph { Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [4, 8]));
        g.Inputs.Add("x");
        string prev = "x";
        for (int i = 0; i < 6; i++)
        {
            string next = i == 5 ? "out" : $"t{i}";
            g.Nodes.Add(new Node("Transpose", $"tr{i}", [prev], [next]));
            prev = next;
        }
        g.Outputs.Add("out");
        var plan = Compiler.Compile(g);
        Assert.Equal(plan.ArenaLowerBoundBytes, plan.ArenaBytes);
        Assert.Equal(2 * 4 * 8 * 4, plan.ArenaBytes); // two live 128-byte buffers at a time
    }

    private static readonly Random s_rnd = new(17);
    private static float[] Rand(int n, float lo = -1f, float hi = 1f) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * s_rnd.NextSingle()).ToArray();

    private static void AddBn(Graph g, string input, string output, int c, string stem)
    {
        g.Add(Tensor.FromFloats(stem + "_g", [c], Rand(c, 0.5f, 2f)));
        g.Add(Tensor.FromFloats(stem + "_b", [c], Rand(c)));
        g.Add(Tensor.FromFloats(stem + "_m", [c], Rand(c)));
        g.Add(Tensor.FromFloats(stem + "_v", [c], Rand(c, 0.1f, 3f)));
        g.Nodes.Add(new Node("BatchNormalization", stem, [input, stem + "_g", stem + "_b", stem + "_m", stem + "_v"], [output]));
    }

    [Fact]
    public void ConvBatchNormReluCnnFoldsAndAgrees()
    {
        var w1 = Rand(8 * 3 * 3 * 3); var b1 = Rand(8); var w2 = Rand(4 * 8 * 3 * 3); var wf = Rand(10 * 4 * 4 * 4);
        Graph Build()
        {
            var g = new Graph { Source = "cnn" };
            g.Add(new Tensor("x", DataType.Float32, [1, 3, 8, 8]));
            g.Inputs.Add("x");
            g.Add(Tensor.FromFloats("w1", [8, 3, 3, 3], w1));
            g.Add(Tensor.FromFloats("b1", [8], b1));
            g.Nodes.Add(new Node("Conv", "conv1", ["x", "w1", "b1"], ["c1"]).Set("pads", Ir.Attribute.Of([1L, 1, 1, 1])));
            AddBn(g, "c1", "n1", 8, "bn1");
            g.Nodes.Add(new Node("Relu", "relu1", ["n1"], ["r1"]));
            g.Add(Tensor.FromFloats("w2", [4, 8, 3, 3], w2));
            g.Nodes.Add(new Node("Conv", "conv2", ["r1", "w2"], ["c2"]).Set("strides", Ir.Attribute.Of([2L, 2])).Set("pads", Ir.Attribute.Of([1L, 1, 1, 1])));
            AddBn(g, "c2", "n2", 4, "bn2");
            g.Nodes.Add(new Node("Flatten", "flat", ["n2"], ["f"]));
            g.Add(Tensor.FromFloats("wf", [10, 64], wf));
            g.Nodes.Add(new Node("Gemm", "fc", ["f", "wf"], ["fc"]).Set("transB", Ir.Attribute.Of(1L)));
            AddBn(g, "fc", "out", 10, "bn3");
            g.Outputs.Add("out");
            return g;
        }
        var x = Rand(3 * 8 * 8);
        var g1 = Build();
        var g2 = Build();
        // AddBn draws fresh parameters per build: give both builds the same ones.
        foreach (var name in g1.Tensors.Keys.Where(k => k.StartsWith("bn")))
            g2[name].Constant = g1[name].Constant;
        var opt = Compiler.Compile(g1);
        var plain = Compiler.Compile(g2, new CompileOptions { Optimize = false });
        using var a = new Session(opt);
        using var b = new Session(plain);
        x.CopyTo(a.Input(0)); x.CopyTo(b.Input(0));
        a.Run(); b.Run();
        var ra = a.Output(0).ToArray(); var rb = b.Output(0).ToArray();
        for (int i = 0; i < ra.Length; i++) Assert.Equal(rb[i], ra[i], 1e-5f * MathF.Max(1f, MathF.Abs(rb[i])));
        Assert.DoesNotContain(opt.Graph.Nodes, n => n.OpType == "BatchNormalization");
        Assert.Equal(3, plain.Graph.Nodes.Count(n => n.OpType == "BatchNormalization"));
    }
}
