using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Streaming;

public class CausalConv1DOperatorTests
{
    private static Graph Build(int cin, int cout, int k, int dil, int groups, bool bias, int maxFrames, int seed,
        out float[] w, out float[]? b)
    {
        var g = new Graph { Name = "conv", Source = "test", Streaming = true, MaxFrames = maxFrames };
        g.Add(new Tensor("x", DataType.Float32, [maxFrames, cin]));
        g.Inputs.Add("x");
        w = StreamingRunner.Random(cout * (cin / groups) * k, seed);
        g.Add(Tensor.FromFloats("w", [cout, cin / groups, k], w));
        b = bias ? StreamingRunner.Random(cout, seed + 1) : null;
        if (b is not null) g.Add(Tensor.FromFloats("b", [cout], b));
        var n = new Node("CausalConv1D", "c", ["x", "w", bias ? "b" : ""], ["y"], "edge");
        n.Set("kernel", Ir.Attribute.Of((long)k)).Set("dilation", Ir.Attribute.Of((long)dil)).Set("groups", Ir.Attribute.Of((long)groups));
        g.Nodes.Add(n);
        g.Outputs.Add("y");
        return g;
    }

    /// <summary>Straight from the definition: y[t][o] = b[o] + Σ_k Σ_j W[o][j][k] · x[t − d(K−1−k)][g·Cin/G + j].</summary>
    private static float[] Reference(float[] x, int frames, int cin, int cout, int k, int dil, int groups, float[] w, float[]? b)
    {
        int cig = cin / groups, cog = cout / groups;
        var y = new float[frames * cout];
        for (int t = 0; t < frames; t++)
            for (int o = 0; o < cout; o++)
            {
                double s = b?[o] ?? 0;
                int g = o / cog;
                for (int kk = 0; kk < k; kk++)
                {
                    int ts = t - dil * (k - 1 - kk);
                    if (ts < 0) continue;
                    for (int j = 0; j < cig; j++) s += (double)w[(o * cig + j) * k + kk] * x[ts * cin + g * cig + j];
                }
                y[t * cout + o] = (float)s;
            }
        return y;
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, true)]
    [InlineData(3, 5, 3, 2, 1, true)]
    [InlineData(4, 6, 2, 7, 2, false)]
    [InlineData(16, 16, 3, 64, 1, true)]
    [InlineData(6, 6, 4, 3, 6, true)]
    [InlineData(1, 1, 300, 1, 1, true)]
    public void MatchesReferenceForAnyBlockSize(int cin, int cout, int k, int dil, int groups, bool bias)
    {
        const int frames = 700;
        var g = Build(cin, cout, k, dil, groups, bias, 64, 11, out var w, out var b);
        using var s = new Session(Compiler.Compile(g));
        var x = StreamingRunner.Random(frames * cin, 5);
        var expected = Reference(x, frames, cin, cout, k, dil, groups, w, b);
        float[] y64 = StreamingRunner.Run(s, x, cin, cout, [64]);
        s.Reset();
        float[] y1 = StreamingRunner.Run(s, x, cin, cout, [1]);
        s.Reset();
        float[] yOdd = StreamingRunner.Run(s, x, cin, cout, [37, 1, 64, 5, 13]);
        for (int i = 0; i < expected.Length; i++)
        {
            float tol = 1e-5f * (1 + Math.Abs(expected[i])) * k;
            Assert.True(Math.Abs(y64[i] - expected[i]) <= tol, $"block 64, index {i}: {y64[i]} vs {expected[i]}");
            Assert.True(Math.Abs(y1[i] - expected[i]) <= tol, $"block 1, index {i}: {y1[i]} vs {expected[i]}");
            Assert.True(Math.Abs(yOdd[i] - expected[i]) <= tol, $"mixed blocks, index {i}: {yOdd[i]} vs {expected[i]}");
        }
    }

    /// <summary>A small layer runs on the per-frame kernel in sessions compiled for fewer than 8 frames per call and
    /// on the block kernel otherwise; both agree with the definition.</summary>
    [Theory]
    [InlineData(1, "causalconv1d.frame")]
    [InlineData(4, "causalconv1d.frame")]
    [InlineData(8, "causalconv1d.tapconv")]
    [InlineData(64, "causalconv1d.tapconv")]
    public void SmallLayersPickTheirKernelByFramesPerCall(int maxFrames, string kernel)
    {
        const int frames = 300, cin = 8, cout = 8, k = 3, dil = 2;
        var g = Build(cin, cout, k, dil, 1, true, maxFrames, 13, out var w, out var b);
        using var s = new Session(Compiler.Compile(g));
        Assert.StartsWith(kernel, s.Kernels[0].KernelName);
        var x = StreamingRunner.Random(frames * cin, 6);
        var expected = Reference(x, frames, cin, cout, k, dil, 1, w, b);
        var y = StreamingRunner.Run(s, x, cin, cout, [maxFrames, 1]);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-5f * (1 + Math.Abs(expected[i])) * k, $"index {i}: {y[i]} vs {expected[i]}");
    }

    [Fact]
    public void ResetClearsHistory()
    {
        var g = Build(2, 2, 3, 4, 1, false, 16, 3, out _, out _);
        using var s = new Session(Compiler.Compile(g));
        var x = StreamingRunner.Random(2 * 100, 9);
        var first = StreamingRunner.Run(s, x, 2, 2, [16]);
        s.Reset();
        var second = StreamingRunner.Run(s, x, 2, 2, [16]);
        Assert.Equal(first, second);
    }

    [Fact]
    public void ExecuteAllocatesNothing()
    {
        var g = Build(8, 8, 3, 5, 2, true, 64, 3, out _, out _);
        using var s = new Session(Compiler.Compile(g));
        int n = 0;
        AllocationAssert.NoAllocations(() => s.Run(1 + (n++ % 64)));
    }

    [Fact]
    public void WrongWeightShapeNamesTheNode()
    {
        var g = Build(4, 4, 3, 1, 1, true, 16, 3, out _, out _);
        g.Nodes[0].Set("groups", Ir.Attribute.Of(3L));
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("'c'", e.Message);
    }

    /// <summary>The <c>activation</c> attribute gives the same bits as the convolution followed by the activation
    /// operator (both use the kernel library's functions), on the per-frame path (small conv) and the block path.</summary>
    [Theory]
    [InlineData(8, 8, 3, 2, "tanh", "Tanh")]
    [InlineData(1, 8, 3, 1, "sigmoid", "Sigmoid")]
    [InlineData(3, 5, 2, 3, "relu", "Relu")]
    [InlineData(40, 40, 3, 2, "tanh", "Tanh")]
    public void FusedActivationMatchesTheSeparateOperator(int cin, int cout, int k, int dil, string act, string op)
    {
        var fused = Build(cin, cout, k, dil, 1, true, 32, 7, out _, out _);
        fused.Nodes[0].Set("activation", Ir.Attribute.Of(act));
        var split = Build(cin, cout, k, dil, 1, true, 32, 7, out _, out _);
        split.Nodes[0].Outputs[0] = "pre";
        split.Nodes.Add(new Node(op, "act", ["pre"], ["y"]));
        using var a = new Session(Compiler.Compile(fused, new CompileOptions { Optimize = false }));
        using var b = new Session(Compiler.Compile(split, new CompileOptions { Optimize = false }));
        var x = StreamingRunner.Random(cin * 90, 4);
        Assert.Equal(StreamingRunner.Run(b, x, cin, cout, [1, 7, 32]), StreamingRunner.Run(a, x, cin, cout, [1, 7, 32]));
    }

    [Fact]
    public void SoftmaxCannotBeFusedIntoTheConvolution()
    {
        var g = Build(4, 4, 3, 1, 1, true, 16, 3, out _, out _);
        g.Nodes[0].Set("activation", Ir.Attribute.Of("softmax"));
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("softmax", e.Message);
        Assert.Contains("'c'", e.Message);
    }
}
