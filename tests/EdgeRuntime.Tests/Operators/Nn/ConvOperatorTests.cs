using Attribute = EdgeRuntime.Ir.Attribute;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Nn;

public class ConvOperatorTests
{
    /// <summary>Direct 2-D convolution from the ONNX definition (scalar, no im2col).</summary>
    private static float[] DirectConv2D(float[] x, int n, int c, int h, int w, float[] wt, int m, int kh, int kw, float[]? b,
        int group, int sh, int sw, int dh, int dw, int pt, int pl, int oh, int ow)
    {
        var y = new float[n * m * oh * ow];
        int cg = c / group, mg = m / group;
        for (int ni = 0; ni < n; ni++)
            for (int mi = 0; mi < m; mi++)
            {
                int grp = mi / mg;
                for (int yi = 0; yi < oh; yi++)
                    for (int xi = 0; xi < ow; xi++)
                    {
                        double s = b?[mi] ?? 0;
                        for (int ci = 0; ci < cg; ci++)
                            for (int a = 0; a < kh; a++)
                                for (int bb = 0; bb < kw; bb++)
                                {
                                    int iy = yi * sh - pt + a * dh, ix = xi * sw - pl + bb * dw;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    s += x[((ni * c + grp * cg + ci) * h + iy) * w + ix] * wt[((mi * cg + ci) * kh + a) * kw + bb];
                                }
                        y[((ni * m + mi) * oh + yi) * ow + xi] = (float)s;
                    }
            }
        return y;
    }

    [Theory]
    [InlineData(1, 4, 7, 9, 6, 3, 3, 1, 1, 1, 1, 1, 0, 0, true)]
    [InlineData(2, 4, 8, 8, 8, 3, 3, 2, 2, 2, 1, 1, 1, 2, false)]   // groups, strides, dilation, asymmetric pads
    [InlineData(1, 6, 5, 6, 6, 3, 3, 6, 1, 1, 1, 1, 1, 1, true)]     // depthwise
    [InlineData(1, 3, 5, 5, 5, 1, 1, 1, 1, 1, 1, 1, 0, 0, true)]     // pointwise (no im2col)
    [InlineData(1, 2, 1, 12, 3, 1, 5, 1, 1, 3, 1, 2, 0, 2, true)]    // 2-D with a height-1 input
    public void MatchesDirectConvolution(int n, int c, int h, int w, int m, int kh, int kw, int group,
        int sh, int sw, int dh, int dw, int pt, int pl, bool bias)
    {
        var rnd = new Random(h * 31 + w);
        int pb = pt, pr = pl + 1;
        if (kh == 1 && kw == 1) { pb = 0; pr = 0; }
        int oh = (h + pt + pb - ((kh - 1) * dh + 1)) / sh + 1, ow = (w + pl + pr - ((kw - 1) * dw + 1)) / sw + 1;
        var x = NnTestGraph.Random(rnd, n * c * h * w);
        var wt = NnTestGraph.Random(rnd, m * (c / group) * kh * kw);
        var b = bias ? NnTestGraph.Random(rnd, m) : null;
        var node = new Node("Conv", "conv", bias ? ["x", "w", "b"] : ["x", "w"], ["y"])
            .Set("group", Attribute.Of((long)group)).Set("strides", Attribute.Of(new long[] { sh, sw }))
            .Set("dilations", Attribute.Of(new long[] { dh, dw })).Set("pads", Attribute.Of(new long[] { pt, pl, pb, pr }));
        var inputs = new List<(string, int[], float[])> { ("x", [n, c, h, w], x), ("w", [m, c / group, kh, kw], wt) };
        if (bias) inputs.Add(("b", [m], b!));
        var (y, shape) = NnTestGraph.Run(node, inputs.ToArray());
        Assert.Equal([n, m, oh, ow], shape);
        NnTestGraph.Close(DirectConv2D(x, n, c, h, w, wt, m, kh, kw, b, group, sh, sw, dh, dw, pt, pl, oh, ow), y);
    }

    /// <summary>With constant weights, stride-1 convolutions run the direct kernel (padded input, packed
    /// weights); the others keep im2col + GEMM. Both agree with the definition.</summary>
    [Theory]
    [InlineData(1, 3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, "conv.direct")]
    [InlineData(2, 4, 8, 8, 8, 3, 3, 2, 1, 2, 2, 1, "conv.direct")]      // groups, dilation, asymmetric pads, batch 2
    [InlineData(1, 16, 7, 13, 7, 5, 3, 1, 1, 1, 2, 2, "conv.direct")]    // partial channel tile, width below a vector
    [InlineData(1, 2, 1, 40, 5, 1, 5, 1, 1, 3, 0, 2, "conv.direct")]     // height-1 input
    [InlineData(1, 6, 5, 6, 6, 3, 3, 6, 1, 1, 1, 1, "conv.direct-depthwise")]
    [InlineData(2, 32, 14, 19, 32, 3, 3, 32, 2, 1, 1, 1, "conv.direct-depthwise")] // stride 2, batch 2
    [InlineData(1, 7, 9, 40, 7, 5, 3, 7, 1, 2, 2, 0, "conv.direct-depthwise")]     // dilation 2
    [InlineData(1, 8, 6, 6, 4, 3, 3, 4, 1, 1, 1, 1, "conv.im2col-gemm")]           // two inputs, one output per group
    [InlineData(1, 4, 9, 9, 8, 3, 3, 1, 2, 1, 1, 1, "conv.direct")]      // stride 2 (column phases)
    [InlineData(1, 3, 20, 23, 6, 4, 5, 1, 3, 2, 2, 1, "conv.direct")]    // stride 3 with dilation 2
    public void ConstantWeightsPickTheDirectKernelWhereItApplies(int n, int c, int h, int w, int m, int kh, int kw, int group,
        int stride, int dil, int pt, int pl, string kernel)
    {
        var rnd = new Random(c * 7 + w);
        int pb = pt + 1, pr = pl;
        int oh = (h + pt + pb - ((kh - 1) * dil + 1)) / stride + 1, ow = (w + pl + pr - ((kw - 1) * dil + 1)) / stride + 1;
        var x = NnTestGraph.Random(rnd, n * c * h * w);
        var wt = NnTestGraph.Random(rnd, m * (c / group) * kh * kw);
        var b = NnTestGraph.Random(rnd, m);
        var g = new Graph { Name = "conv", Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [n, c, h, w]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("w", [m, c / group, kh, kw], wt));
        g.Add(Tensor.FromFloats("b", [m], b));
        g.Nodes.Add(new Node("Conv", "conv", ["x", "w", "b"], ["y"]).Set("group", Attribute.Of((long)group))
            .Set("strides", Attribute.Of(new long[] { stride, stride })).Set("dilations", Attribute.Of(new long[] { dil, dil }))
            .Set("pads", Attribute.Of(new long[] { pt, pl, pb, pr })));
        g.Outputs.Add("y");
        using var s = new EdgeRuntime.Execution.Session(Compiler.Compile(g));
        Assert.Equal(kernel, s.Kernels.Single().KernelName);
        x.CopyTo(s.Input(0));
        s.Run();
        Assert.Equal([n, m, oh, ow], s.Outputs[0].Shape);
        NnTestGraph.Close(DirectConv2D(x, n, c, h, w, wt, m, kh, kw, b, group, stride, stride, dil, dil, pt, pl, oh, ow), s.Output(0).ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        s.Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Conv1DEqualsConv2DWithHeightOne()
    {
        var rnd = new Random(5);
        var x = NnTestGraph.Random(rnd, 2 * 3 * 20);
        var wt = NnTestGraph.Random(rnd, 4 * 3 * 5);
        var node = new Node("Conv", "c1", ["x", "w"], ["y"]).Set("dilations", Attribute.Of(new long[] { 2 }))
            .Set("auto_pad", Attribute.Of("SAME_UPPER"));
        var (y, shape) = NnTestGraph.Run(node, ("x", [2, 3, 20], x), ("w", [4, 3, 5], wt));
        Assert.Equal([2, 4, 20], shape);
        // SAME_UPPER with span 9: 8 padding, 4 before, 4 after.
        NnTestGraph.Close(DirectConv2D(x, 2, 3, 1, 20, wt, 4, 1, 5, null, 1, 1, 1, 1, 2, 0, 4, 1, 20), y);
    }

    [Fact]
    public void ChannelMismatchNamesTheNode()
    {
        var g = NnTestGraph.Single(new Node("Conv", "stem", ["x", "w"], ["y"]), ("x", [1, 3, 8, 8]), ("w", [4, 2, 3, 3]));
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("Conv 'stem'", e.Message);
        Assert.Contains("input channels", e.Message);
    }

    [Fact]
    public void ConvTransposeMatchesScatterDefinition()
    {
        var rnd = new Random(11);
        int n = 1, c = 4, h = 3, w = 4, group = 2, mg = 3, kh = 3, kw = 2, sh = 2, sw = 3, dh = 1, dw = 2, pt = 1, pl = 0, pb = 0, pr = 1;
        var x = NnTestGraph.Random(rnd, n * c * h * w);
        var wt = NnTestGraph.Random(rnd, c * mg * kh * kw);
        var b = NnTestGraph.Random(rnd, group * mg);
        int fullH = sh * (h - 1) + (kh - 1) * dh + 1, fullW = sw * (w - 1) + (kw - 1) * dw + 1 + 1; // output_padding 1 on W
        int oh = fullH - pt - pb, ow = fullW - pl - pr;
        var node = new Node("ConvTranspose", "up", ["x", "w", "b"], ["y"]).Set("group", Attribute.Of((long)group))
            .Set("strides", Attribute.Of(new long[] { sh, sw })).Set("dilations", Attribute.Of(new long[] { dh, dw }))
            .Set("pads", Attribute.Of(new long[] { pt, pl, pb, pr })).Set("output_padding", Attribute.Of(new long[] { 0, 1 }));
        var (y, shape) = NnTestGraph.Run(node, ("x", [n, c, h, w], x), ("w", [c, mg, kh, kw], wt), ("b", [group * mg], b));
        Assert.Equal([n, group * mg, oh, ow], shape);
        var want = new float[group * mg * oh * ow];
        for (int m = 0; m < group * mg; m++)
            for (int i = 0; i < oh * ow; i++) want[m * oh * ow + i] = b[m];
        int cg = c / group;
        for (int ci = 0; ci < c; ci++)
            for (int iy = 0; iy < h; iy++)
                for (int ix = 0; ix < w; ix++)
                    for (int mo = 0; mo < mg; mo++)
                        for (int a = 0; a < kh; a++)
                            for (int bb = 0; bb < kw; bb++)
                            {
                                int oy = iy * sh + a * dh - pt, ox = ix * sw + bb * dw - pl;
                                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                                int m = (ci / cg) * mg + mo;
                                want[(m * oh + oy) * ow + ox] += x[(ci * h + iy) * w + ix] * wt[((ci * mg + mo) * kh + a) * kw + bb];
                            }
        NnTestGraph.Close(want, y);
    }
}
