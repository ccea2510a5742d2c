using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Passes;

public class QdqFoldingTests
{
    private const float Xs = 0.05f, Ys = 0.1f;
    private const byte Xzp = 3, Yzp = 128;
    private static readonly float[] Ws = [0.02f, 0.03f, 0.01f];

    private static sbyte[] Weights()
    {
        var w = new sbyte[3 * 2 * 3 * 3];
        var rng = new Random(5);
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-127, 128);
        return w;
    }

    private static readonly int[] Bias = [100, -250, 37];

    /// <summary>x → Q → DQ → Conv(DQ(w int8 per channel), DQ(b int32)) → Q → DQ → y, as a QDQ exporter writes it.</summary>
    private static Graph QdqConv(bool keepIntermediate = false)
    {
        var g = new Graph { Source = "qdq.onnx" };
        g.Add(new Tensor("x", DataType.Float32, [1, 2, 5, 5]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("xs", [], [Xs]));
        g.Add(new Tensor("xzp", DataType.UInt8, [], [Xzp]));
        g.Add(new Tensor("wq", DataType.Int8, [3, 2, 3, 3], Weights().Select(v => (byte)v).ToArray()));
        g.Add(Tensor.FromFloats("ws", [3], Ws));
        g.Add(new Tensor("bq", DataType.Int32, [3], MemoryMarshal.AsBytes(Bias.AsSpan()).ToArray()));
        g.Add(Tensor.FromFloats("bs", [3], Ws.Select(w => Xs * w).ToArray()));
        g.Add(Tensor.FromFloats("ys", [], [Ys]));
        g.Add(new Tensor("yzp", DataType.UInt8, [], [Yzp]));
        g.Nodes.Add(new Node("QuantizeLinear", "qx", ["x", "xs", "xzp"], ["xq"]));
        g.Nodes.Add(new Node("DequantizeLinear", "dqx", ["xq", "xs", "xzp"], ["xf"]));
        g.Nodes.Add(new Node("DequantizeLinear", "dqw", ["wq", "ws"], ["wf"]).Set("axis", Ir.Attribute.Of(0L)));
        g.Nodes.Add(new Node("DequantizeLinear", "dqb", ["bq", "bs"], ["bf"]).Set("axis", Ir.Attribute.Of(0L)));
        g.Nodes.Add(new Node("Conv", "conv", ["xf", "wf", "bf"], ["yf"]).Set("pads", Ir.Attribute.Of(new long[] { 1, 1, 1, 1 })));
        g.Nodes.Add(new Node("QuantizeLinear", "qy", ["yf", "ys", "yzp"], ["yq"]));
        g.Nodes.Add(new Node("DequantizeLinear", "dqy", ["yq", "ys", "yzp"], ["y"]));
        g.Outputs.Add("y");
        if (keepIntermediate) g.Outputs.Add("yf");
        return g;
    }

    [Fact]
    public void ConvGroupBecomesQLinearConvAndMatchesTheFloatMathWithinOneStep()
    {
        var g = QdqConv();
        Assert.True(QdqFolding.Run(g));
        Assert.DoesNotContain(g.Nodes, n => n.OpType == "Conv");
        Assert.Contains(g.Nodes, n => n.OpType == "QLinearConv");

        using var s = new Session(Compiler.Compile(g));
        var rng = new Random(9);
        var x = new float[50];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 10 - 4);
        x.CopyTo(s.Input(0));
        s.Run();
        var y = s.Output(0).ToArray();

        // Independent float reference: quantize x, dequantize, conv in double, quantize y, dequantize.
        var w = Weights();
        var xf = x.Select(v => (Math.Clamp(Math.Round(v / Xs, MidpointRounding.ToEven) + Xzp, 0, 255) - Xzp) * Xs).ToArray();
        int exact = 0;
        for (int m = 0; m < 3; m++)
            for (int oy = 0; oy < 5; oy++)
                for (int ox = 0; ox < 5; ox++)
                {
                    double acc = Bias[m] * (double)Xs * Ws[m];
                    for (int c = 0; c < 2; c++)
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++)
                            {
                                int iy = oy - 1 + ky, ix = ox - 1 + kx;
                                if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5) continue;
                                acc += xf[(c * 5 + iy) * 5 + ix] * (w[((m * 2 + c) * 3 + ky) * 3 + kx] * (double)Ws[m]);
                            }
                    double want = (Math.Clamp(Math.Round(acc / Ys, MidpointRounding.ToEven) + Yzp, 0, 255) - Yzp) * Ys;
                    float got = y[(m * 5 + oy) * 5 + ox];
                    Assert.True(Math.Abs(got - want) <= Ys * 1.0001, $"({m},{oy},{ox}): {got} vs {want}");
                    if (Math.Abs(got - want) < 1e-6) exact++;
                }
        Assert.True(exact >= 70, $"only {exact}/75 exact");
    }

    [Fact]
    public void GroupWhoseFloatIntermediateIsAnOutputIsLeftAlone()
    {
        var g = QdqConv(keepIntermediate: true);
        Assert.False(QdqFolding.Run(g));
        Assert.Contains(g.Nodes, n => n.OpType == "Conv");
    }

    [Fact]
    public void MatMulGroupBecomesQLinearMatMul()
    {
        var g = new Graph { Source = "qdq.onnx" };
        g.Add(new Tensor("aq", DataType.UInt8, [2, 3]));
        g.Inputs.Add("aq");
        g.Add(Tensor.FromFloats("as", [], [0.5f]));
        g.Add(new Tensor("azp", DataType.UInt8, [], [10]));
        g.Add(new Tensor("bq", DataType.Int8, [3, 2], [1, 2, 3, 4, 5, 6]));
        g.Add(Tensor.FromFloats("bs", [], [0.25f]));
        g.Add(Tensor.FromFloats("ys", [], [1f]));
        g.Add(new Tensor("yzp", DataType.UInt8, [], [100]));
        g.Nodes.Add(new Node("DequantizeLinear", "dqa", ["aq", "as", "azp"], ["af"]));
        g.Nodes.Add(new Node("DequantizeLinear", "dqb", ["bq", "bs"], ["bf"]));
        g.Nodes.Add(new Node("MatMul", "mm", ["af", "bf"], ["yf"]));
        g.Nodes.Add(new Node("QuantizeLinear", "q", ["yf", "ys", "yzp"], ["y"]));
        g.Outputs.Add("y");
        Assert.True(QdqFolding.Run(g));
        Assert.Equal("QLinearMatMul", Assert.Single(g.Nodes).OpType);
        using var s = new Session(Compiler.Compile(g));
        byte[] a = [10, 12, 14, 20, 30, 0];
        a.CopyTo(s.InputBytes(0));
        s.Run();
        // (a − 10)·b·0.125 rounded half to even + 100
        int[,] b = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 2; c++)
            {
                int acc = 0;
                for (int k = 0; k < 3; k++) acc += (a[r * 3 + k] - 10) * b[k, c];
                Assert.Equal(Math.Clamp(Math.Round(acc * 0.125, MidpointRounding.ToEven) + 100, 0, 255), s.OutputBytes(0)[r * 2 + c]);
            }
    }
}
