using EdgeRuntime.Ir;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Tests.Planning;

/// <summary>Expected MACs are the textbook formulas evaluated by hand for each shape.</summary>
public class CostModelTests
{
    private static Graph G(params Tensor[] ts)
    {
        var g = new Graph();
        foreach (var t in ts) g.Add(t);
        return g;
    }

    private static Tensor W(string name, params int[] shape) => new(name, DataType.Float32, shape, new byte[shape.Aggregate(4, (a, d) => a * d)]);

    [Fact]
    public void ConvCountsOutputsTimesKernelVolume()
    {
        // 1x3x8x8 -> 1x16x6x6, 3x3 kernel: 16*6*6 outputs * 3*3*3 MACs each = 15552.
        var g = G(new Tensor("x", DataType.Float32, [1, 3, 8, 8]), W("w", 16, 3, 3, 3), W("b", 16), new Tensor("y", DataType.Float32, [1, 16, 6, 6]));
        var n = new Node("Conv", "c", ["x", "w", "b"], ["y"]);
        Assert.Equal(15552, CostModel.Macs(n, g));
        Assert.Equal(16 * 27 + 16, CostModel.Params(n, g));
    }

    [Fact]
    public void GemmMatMulAndRecurrent()
    {
        var g = G(new Tensor("a", DataType.Float32, [4, 10]), W("b", 10, 5), new Tensor("y", DataType.Float32, [4, 5]),
            new Tensor("at", DataType.Float32, [10, 4]),
            new Tensor("seq", DataType.Float32, [7, 1, 3]), W("Wg", 1, 24, 3), W("Rg", 1, 24, 8), new Tensor("h", DataType.Float32, [7, 1, 1, 8]));
        Assert.Equal(4 * 5 * 10, CostModel.Macs(new Node("MatMul", "", ["a", "b"], ["y"]), g));
        Assert.Equal(4 * 5 * 10, CostModel.Macs(new Node("Gemm", "", ["at", "b"], ["y"]).Set("transA", Ir.Attribute.Of(1L)), g));
        // GRU, hidden 8, input 3, 7 steps: per step 24*3 + 24*8 MACs.
        Assert.Equal(7 * (24 * 3 + 24 * 8), CostModel.Macs(new Node("GRU", "", ["seq", "Wg", "Rg"], ["h"]), g));
        Assert.Equal(0, CostModel.Macs(new Node("Relu", "", ["a"], ["y"]), g));
    }

    [Fact]
    public void TfliteDepthwiseCountsKernelAreaPerOutput()
    {
        var g = G(new Tensor("x", DataType.Int8, [1, 8, 8, 4]), new Tensor("w", DataType.Int8, [1, 3, 3, 4], new byte[36]), new Tensor("y", DataType.Int8, [1, 6, 6, 4]));
        Assert.Equal(6 * 6 * 4 * 9, CostModel.Macs(new Node("DEPTHWISE_CONV_2D", "", ["x", "w"], ["y"], "tflite"), g));
    }
}
