using Attribute = EdgeRuntime.Ir.Attribute;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Nn;

public class PoolNormTests
{
    [Fact]
    public void MaxPoolCeilModeDilationAndIndices()
    {
        // 1x1x5x5 input 0..24, kernel 2x2, stride 2, dilation 2, ceil_mode.
        var x = Enumerable.Range(0, 25).Select(i => (float)i).ToArray();
        var node = new Node("MaxPool", "mp", ["x"], ["y", "i"]).Set("kernel_shape", Attribute.Of(new long[] { 2, 2 }))
            .Set("strides", Attribute.Of(new long[] { 2, 2 })).Set("dilations", Attribute.Of(new long[] { 2, 2 }))
            .Set("ceil_mode", Attribute.Of(1L));
        var g = NnTestGraph.Single(node, ("x", [1, 1, 5, 5]));
        g.Outputs.Add("i");
        using var s = new Session(Compiler.Compile(g));
        x.CopyTo(s.Input(0));
        s.Run();
        // span 3: floor((5-3)/2)+1 = 2 exactly, ceil gives 2 too (last start 2 < 5).
        Assert.Equal([1, 1, 2, 2], g["y"].Shape);
        Assert.Equal([12f, 14f, 22f, 24f], s.Output(0).ToArray());
        Assert.Equal([12L, 14L, 22L, 24L], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(s.OutputBytes(1)).ToArray());
    }

    /// <summary>float MaxPool without Indices runs the separable plane kernel; with Indices the generic
    /// window loop. Both give the same maxima (pads, overlapping windows, ceil_mode, 1-D).</summary>
    [Theory]
    [InlineData(new long[] { 2, 2 }, new long[] { 2, 2 }, new long[] { 0, 0, 0, 0 }, 0, new[] { 1, 16, 32, 32 })]
    [InlineData(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1, 1, 1 }, 0, new[] { 2, 3, 9, 17 })]
    [InlineData(new long[] { 3, 2 }, new long[] { 2, 3 }, new long[] { 1, 0, 0, 1 }, 1, new[] { 1, 2, 10, 11 })]
    [InlineData(new long[] { 3 }, new long[] { 1 }, new long[] { 1, 1 }, 0, new[] { 1, 4, 37 })]
    public void PlaneKernelAgreesWithTheIndexedPath(long[] kernel, long[] strides, long[] pads, long ceil, int[] shape)
    {
        var rnd = new Random(shape.Sum());
        var x = NnTestGraph.Random(rnd, shape.Aggregate(1, (a, b) => a * b));
        Node Pool(bool indices) => new Node("MaxPool", "mp", ["x"], indices ? ["y", "i"] : ["y"]).Set("kernel_shape", Attribute.Of(kernel))
            .Set("strides", Attribute.Of(strides)).Set("pads", Attribute.Of(pads)).Set("ceil_mode", Attribute.Of(ceil));
        float[] RunPool(bool indices, out string kernelName)
        {
            var g = NnTestGraph.Single(Pool(indices), ("x", shape));
            if (indices) g.Outputs.Add("i");
            using var s = new Session(Compiler.Compile(g));
            kernelName = s.Kernels.Single().KernelName;
            x.CopyTo(s.Input(0));
            s.Run();
            return s.Output(0).ToArray();
        }
        var plane = RunPool(false, out var k1);
        var indexed = RunPool(true, out var k2);
        Assert.Equal("maxpool.planes", k1);
        Assert.NotEqual(k1, k2);
        Assert.Equal(indexed, plane);
    }

    [Fact]
    public void AveragePoolCountsPadsOnlyWhenAsked()
    {
        var x = Enumerable.Repeat(1f, 9).ToArray();
        Node Pool(long include) => new Node("AveragePool", "ap", ["x"], ["y"]).Set("kernel_shape", Attribute.Of(new long[] { 3, 3 }))
            .Set("pads", Attribute.Of(new long[] { 1, 1, 1, 1 })).Set("count_include_pad", Attribute.Of(include));
        var (y0, shape) = NnTestGraph.Run(Pool(0), ("x", [1, 1, 3, 3], x));
        Assert.Equal([1, 1, 3, 3], shape);
        Assert.All(y0, v => Assert.Equal(1f, v, 6));
        var (y1, _) = NnTestGraph.Run(Pool(1), ("x", [1, 1, 3, 3], x));
        Assert.Equal(4f / 9f, y1[0], 6);   // corner: 4 real values over a 9-wide window
        Assert.Equal(6f / 9f, y1[1], 6);
        Assert.Equal(1f, y1[4], 6);
    }

    [Fact]
    public void GlobalPoolsReduceEachPlane()
    {
        var x = new float[] { 1, 2, 3, 4, -1, -2, -3, -8 };
        var (avg, shape) = NnTestGraph.Run(new Node("GlobalAveragePool", "gap", ["x"], ["y"]), ("x", [1, 2, 2, 2], x));
        Assert.Equal([1, 2, 1, 1], shape);
        Assert.Equal([2.5f, -3.5f], avg);
        var (max, _) = NnTestGraph.Run(new Node("GlobalMaxPool", "gmp", ["x"], ["y"]), ("x", [1, 2, 2, 2], x));
        Assert.Equal([4f, -1f], max);
    }

    [Fact]
    public void BatchNormalizationUsesRunningStatistics()
    {
        var rnd = new Random(2);
        var x = NnTestGraph.Random(rnd, 2 * 3 * 4);
        float[] scale = [1.5f, -2, 0.5f], bias = [0.1f, 0.2f, 0.3f], mean = [0.5f, -0.25f, 0], variance = [1, 0.5f, 2];
        var node = new Node("BatchNormalization", "bn", ["x", "s", "b", "m", "v"], ["y"]).Set("epsilon", Attribute.Of(1e-3f));
        var (y, _) = NnTestGraph.Run(node, ("x", [2, 3, 4], x), ("s", [3], scale), ("b", [3], bias), ("m", [3], mean), ("v", [3], variance));
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 4; i++)
                {
                    int at = (n * 3 + c) * 4 + i;
                    Assert.Equal((x[at] - mean[c]) / MathF.Sqrt(variance[c] + 1e-3f) * scale[c] + bias[c], y[at], 5);
                }
    }

    [Fact]
    public void PreOpset14TrainingOutputsAreReportedUnsupported()
    {
        var node = new Node("BatchNormalization", "bn", ["x", "s", "b", "m", "v"], ["y", "mean", "var"]);
        var g = NnTestGraph.Single(node, ("x", [1, 2, 3]), ("s", [2]), ("b", [2]), ("m", [2]), ("v", [2]));
        var e = Assert.Throws<UnsupportedFeatureException>(() => Compiler.Compile(g));
        Assert.Contains("BatchNormalization 'bn'", e.Message);
    }

    [Fact]
    public void ConvPoolGemmRunAllocatesNothing()
    {
        var g = new Graph { Name = "cnn", Source = "test" };
        var rnd = new Random(1);
        g.Add(new Tensor("x", DataType.Float32, [1, 2, 8, 8]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("w", [4, 2, 3, 3], NnTestGraph.Random(rnd, 72)));
        g.Add(Tensor.FromFloats("wt", [4, 2, 2, 2], NnTestGraph.Random(rnd, 32)));
        g.Add(Tensor.FromFloats("fc", [2, 16], NnTestGraph.Random(rnd, 32)));
        g.Nodes.Add(new Node("Conv", "c", ["x", "w"], ["c1"]).Set("pads", Attribute.Of(new long[] { 1, 1, 1, 1 })));
        g.Nodes.Add(new Node("MaxPool", "p", ["c1"], ["p1"]).Set("kernel_shape", Attribute.Of(new long[] { 2, 2 })).Set("strides", Attribute.Of(new long[] { 2, 2 })));
        g.Nodes.Add(new Node("ConvTranspose", "t", ["p1", "wt"], ["t1"]).Set("strides", Attribute.Of(new long[] { 2, 2 })));
        g.Nodes.Add(new Node("AveragePool", "a", ["t1"], ["a1"]).Set("kernel_shape", Attribute.Of(new long[] { 4, 4 })).Set("strides", Attribute.Of(new long[] { 2, 2 })));
        g.Nodes.Add(new Node("GlobalAveragePool", "gap", ["a1"], ["g1"]));
        g.Nodes.Add(new Node("MatMul", "mm", ["g1", "g1"], ["unused"]));
        g.Outputs.Add("g1");
        using var s = new Session(Compiler.Compile(g));
        NnTestGraph.Random(rnd, 128).CopyTo(s.Input(0));
        AllocationAssert.NoAllocations(() => s.Run());
    }
}
