using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Tests.Passes;

/// <summary>Activations fused into Conv/Gemm/MatMul by <see cref="ActivationFusion"/> are applied by
/// those kernels: the fused graph loses the activation node and computes what the unfused one does.</summary>
public class ActivationFusionTests
{
    private static float[] Rand(Random rnd, int n, float scale) => Enumerable.Range(0, n).Select(_ => (rnd.NextSingle() * 2f - 1f) * scale).ToArray();

    /// <summary>Appends activation <paramref name="act"/> reading <paramref name="input"/>; Clip is
    /// ReLU6 with constant bound inputs (opset 11+ form).</summary>
    private static void AddActivation(Graph g, string act, string input, string output, string stem)
    {
        var node = new Node(act, stem, [input], [output]);
        if (act == "Clip")
        {
            g.Add(Tensor.FromFloats(stem + "_lo", [], [0f]));
            g.Add(Tensor.FromFloats(stem + "_hi", [], [6f]));
            node.Inputs.Add(stem + "_lo");
            node.Inputs.Add(stem + "_hi");
        }
        if (act == "LeakyRelu") node.Set("alpha", Ir.Attribute.Of(0.2f));
        g.Nodes.Add(node);
    }

    /// <summary>x [1,3,6,6] → Conv(4×3×3×3, pads 1, bias) → Relu → Flatten → Gemm(transB, C) → Clip(0,6)
    /// → MatMul → LeakyRelu(0.2) → MatMul → Tanh → MatMul → Sigmoid.</summary>
    private static Graph Chain(int seed)
    {
        var rnd = new Random(seed);
        var g = new Graph { Source = "fusion-chain" };
        g.Add(new Tensor("x", DataType.Float32, [1, 3, 6, 6]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("w1", [4, 3, 3, 3], Rand(rnd, 4 * 27, 1f)));
        g.Add(Tensor.FromFloats("b1", [4], Rand(rnd, 4, 0.5f)));
        g.Nodes.Add(new Node("Conv", "conv", ["x", "w1", "b1"], ["c"]).Set("pads", Ir.Attribute.Of([1L, 1, 1, 1])));
        AddActivation(g, "Relu", "c", "r", "relu");
        g.Nodes.Add(new Node("Flatten", "flat", ["r"], ["f"]));
        g.Add(Tensor.FromFloats("wg", [12, 144], Rand(rnd, 12 * 144, 0.5f)));
        g.Add(Tensor.FromFloats("cg", [12], Rand(rnd, 12, 1f)));
        g.Nodes.Add(new Node("Gemm", "fc", ["f", "wg", "cg"], ["y"]).Set("transB", Ir.Attribute.Of(1L)));
        AddActivation(g, "Clip", "y", "y6", "relu6");
        string prev = "y6";
        int width = 12;
        string[] acts = ["LeakyRelu", "Tanh", "Sigmoid"];
        for (int i = 0; i < acts.Length; i++)
        {
            g.Add(Tensor.FromFloats($"wm{i}", [width, 8], Rand(rnd, width * 8, 0.6f)));
            g.Nodes.Add(new Node("MatMul", $"mm{i}", [prev, $"wm{i}"], [$"m{i}"]));
            string next = i == acts.Length - 1 ? "out" : $"a{i}";
            AddActivation(g, acts[i], $"m{i}", next, $"act{i}");
            prev = next;
            width = 8;
        }
        g.Outputs.Add("out");
        return g;
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * MathF.Max(1f, MathF.Abs(expected[i])),
                $"element {i}: fused {actual[i]} vs unfused {expected[i]}");
    }

    private static (float[] Fused, float[] Plain) RunBoth(Plan fused, Plan plain, float[] x)
    {
        using var a = new Session(fused);
        using var b = new Session(plain);
        x.CopyTo(a.Input(0));
        x.CopyTo(b.Input(0));
        a.Run();
        b.Run();
        return (a.Output(0).ToArray(), b.Output(0).ToArray());
    }

    [Fact]
    public void ConvGemmMatMulChainFusesEveryActivationAndAgreesWithUnfused()
    {
        var fused = Compiler.Compile(Chain(5));
        var plain = Compiler.Compile(Chain(5), new CompileOptions { Optimize = false });
        string[] activations = ["Relu", "Clip", "LeakyRelu", "Tanh", "Sigmoid"];
        Assert.DoesNotContain(fused.Graph.Nodes, n => activations.Contains(n.OpType));
        foreach (var a in activations) Assert.Contains(plain.Graph.Nodes, n => n.OpType == a);
        Assert.Equal(["Relu", "Clip", "LeakyRelu", "Tanh", "Sigmoid"],
            fused.Graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul")
                .Select(n => n.GetString(FusedActivation.AttributeName, "")).ToArray());
        var clip = FusedActivation.FromNode(fused.Graph.Nodes.Single(n => n.OpType == "Gemm"));
        Assert.Equal((0f, 6f), (clip.Min, clip.Max));
        Assert.Equal(0.2f, FusedActivation.FromNode(fused.Graph.Nodes.Single(n => n.Name == "mm0")).Alpha);

        var x = Rand(new Random(9), 3 * 36, 2f);
        var (got, want) = RunBoth(fused, plain, x);
        AssertClose(want, got);
    }

    public static TheoryData<string, string> Pairs()
    {
        var d = new TheoryData<string, string>();
        foreach (var p in new[] { "Conv", "Gemm", "MatMul" })
            foreach (var a in new[] { "Relu", "Clip", "LeakyRelu", "Tanh", "Sigmoid" })
                d.Add(p, a);
        return d;
    }

    /// <summary>One producer feeding one activation whose output is the graph output; inputs are
    /// scaled so that every activation sees both signs and Clip saturates at both bounds.</summary>
    private static Graph Single(string producer, string act)
    {
        var rnd = new Random(producer.Length * 31 + act.Length);
        var g = new Graph { Source = $"{producer}-{act}" };
        switch (producer)
        {
            case "Conv":
                g.Add(new Tensor("x", DataType.Float32, [1, 2, 5, 5]));
                g.Add(Tensor.FromFloats("w", [6, 1, 3, 3], Rand(rnd, 6 * 9, 2f)));
                g.Add(Tensor.FromFloats("b", [6], Rand(rnd, 6, 1f)));
                g.Nodes.Add(new Node("Conv", "p", ["x", "w", "b"], ["y"]).Set("group", Ir.Attribute.Of(2L)).Set("strides", Ir.Attribute.Of([2L, 1])));
                break;
            case "Gemm":
                g.Add(new Tensor("x", DataType.Float32, [3, 7]));
                g.Add(Tensor.FromFloats("w", [7, 9], Rand(rnd, 63, 2f)));
                g.Add(Tensor.FromFloats("c", [3, 1], Rand(rnd, 3, 1f)));
                g.Nodes.Add(new Node("Gemm", "p", ["x", "w", "c"], ["y"]).Set("alpha", Ir.Attribute.Of(1.5f)).Set("beta", Ir.Attribute.Of(0.5f)));
                break;
            default:
                g.Add(new Tensor("x", DataType.Float32, [2, 3, 5]));
                g.Add(Tensor.FromFloats("w", [5, 4], Rand(rnd, 20, 2f)));
                g.Nodes.Add(new Node("MatMul", "p", ["x", "w"], ["y"]));
                break;
        }
        g.Inputs.Add("x");
        AddActivation(g, act, "y", "out", "act");
        g.Outputs.Add("out");
        return g;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EachProducerAppliesEachActivation(string producer, string act)
    {
        var fused = Compiler.Compile(Single(producer, act));
        var plain = Compiler.Compile(Single(producer, act), new CompileOptions { Optimize = false });
        Assert.Equal([producer], fused.Graph.Nodes.Select(n => n.OpType).ToArray());
        Assert.Equal(act, fused.Graph.Nodes[0].GetString(FusedActivation.AttributeName, ""));
        Assert.Equal(2, plain.Graph.Nodes.Count);
        var x = Rand(new Random(11), (int)plain.Graph[plain.Graph.Inputs[0]].ElementCount, 3f);
        var (got, want) = RunBoth(fused, plain, x);
        AssertClose(want, got);
        if (act == "Clip") Assert.Contains(want, v => v == 0f);
        if (act == "Clip") Assert.Contains(want, v => v == 6f);
    }

    [Fact]
    public void FusedGraphRunsWithoutAllocating()
    {
        var plan = Compiler.Compile(Chain(7));
        Assert.Equal(5, plan.Graph.Nodes.Count(n => n.Has(FusedActivation.AttributeName)));
        using var s = new Session(plan);
        Rand(new Random(2), 3 * 36, 1f).CopyTo(s.Input(0));
        AllocationAssert.NoAllocations(() => s.Run());
    }

    /// <summary>Streaming x [8 frames, 5] → Gemm(C [4]) → Sigmoid or MatMul → Tanh: a partial call
    /// activates only the valid frames' rows and leaves the others as the previous full call left them
    /// (activating them again would change them).</summary>
    [Theory]
    [InlineData("Gemm", "Sigmoid")]
    [InlineData("MatMul", "Tanh")]
    public void StreamingPartialCallActivatesOnlyValidFrames(string producer, string act)
    {
        const int maxFrames = 8, frames = 3;
        var rnd = new Random(4);
        var w = Rand(rnd, 5 * 4, 1f);
        var c = Rand(rnd, 4, 1f);
        Graph Build()
        {
            var g = new Graph { Source = "stream", Streaming = true, MaxFrames = maxFrames };
            g.Add(new Tensor("x", DataType.Float32, [maxFrames, 5]));
            g.Inputs.Add("x");
            g.Add(Tensor.FromFloats("w", [5, 4], w));
            if (producer == "Gemm")
            {
                g.Add(Tensor.FromFloats("c", [4], c));
                g.Nodes.Add(new Node("Gemm", "p", ["x", "w", "c"], ["y"]));
            }
            else g.Nodes.Add(new Node("MatMul", "p", ["x", "w"], ["y"]));
            AddActivation(g, act, "y", "out", "act");
            g.Outputs.Add("out");
            return g;
        }
        var fused = Compiler.Compile(Build());
        Assert.Equal([producer], fused.Graph.Nodes.Select(n => n.OpType).ToArray());
        var x = Rand(rnd, maxFrames * 5, 2f);
        using var s = new Session(fused);
        x.CopyTo(s.Input(0));
        s.Run();
        var stale = s.Output(0).ToArray();
        s.Run(frames);
        var got = s.Output(0).ToArray();
        for (int t = 0; t < maxFrames; t++)
            for (int j = 0; j < 4; j++)
            {
                if (t >= frames) { Assert.Equal(stale[t * 4 + j], got[t * 4 + j]); continue; }
                double acc = producer == "Gemm" ? c[j] : 0;
                for (int k = 0; k < 5; k++) acc += (double)x[t * 5 + k] * w[k * 4 + j];
                double want = act == "Sigmoid" ? 1 / (1 + Math.Exp(-acc)) : Math.Tanh(acc);
                Assert.Equal(want, got[t * 4 + j], 1e-5);
            }
    }
}
