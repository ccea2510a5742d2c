using EdgeRuntime.Ir;
using static EdgeRuntime.Tests.Operators.OpGraph;

namespace EdgeRuntime.Tests.Operators.Shape;

public class ShapeOperatorTests
{
    private static int[] Coords(int flat, int[] shape)
    {
        var c = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { c[d] = flat % shape[d]; flat /= shape[d]; }
        return c;
    }

    private static int Flat(int[] c, int[] shape)
    {
        int f = 0;
        for (int d = 0; d < shape.Length; d++) f = f * shape[d] + c[d];
        return f;
    }

    [Theory]
    [InlineData(new long[] { 0, -1 }, new[] { 2, 12 }, 0)]
    [InlineData(new long[] { -1 }, new[] { 24 }, 0)]
    [InlineData(new long[] { 4, 0, 0 }, new[] { 4, 3, 4 }, 0)] // 0 copies input dims 1, 2 → wrong count, see below
    [InlineData(new long[] { 3, 0, 8 }, new[] { 3, 0, 8 }, 1)]
    public void ReshapeZeroAndMinusOne(long[] target, int[] expected, int allowZero)
    {
        int[] inShape = allowZero == 1 ? [3, 0, 8] : [2, 3, 4];
        var x = Random(Count(inShape), 1);
        var g = new OpGraph().Input("x", inShape, x).ConstInts("s", target).Node("Reshape", ["x", "s"], ["y"], ("allowzero", A((long)allowZero))).Output("y");
        if (Count(expected) != x.Length)
        {
            var e = Assert.Throws<ModelException>(() => g.Run());
            Assert.Contains("Reshape", e.Message);
            return;
        }
        var (y, shape) = g.RunF32();
        Assert.Equal(expected, shape);
        Assert.Equal(x, y);
    }

    [Fact]
    public void ReshapeIsAViewAndNeedsAConstantShape()
    {
        var g = new OpGraph().Input("x", [2, 6], Random(12, 2)).Node("Relu", ["x"], ["r"]).ConstInts("s", 3, 4)
            .Node("Reshape", ["r", "s"], ["y"]).Node("Neg", ["y"], ["z"]).Output("z");
        using (var s = g.Compile())
            Assert.Equal(s.Plan.ActivationOffsets["r"], s.Plan.ActivationOffsets["y"]);

        var bad = new OpGraph().Input("x", [2, 6], new float[12]).Input("s", DataType.Int64, [2], Bytes(3L, 4L))
            .Node("Reshape", ["x", "s"], ["y"]).Output("y");
        var e = Assert.Throws<ModelException>(() => bad.Run());
        Assert.Contains("Reshape 'reshape0': input 's' (shape) must be a constant for static planning", e.Message);

        var (legacy, shape) = new OpGraph(opset: 4).Input("x", [2, 6], Random(12, 3)).Node("Reshape", ["x"], ["y"], ("shape", A(6L, -1L))).Output("y").RunF32();
        Assert.Equal([6, 2], shape);
    }

    [Theory]
    [InlineData(0, 1, 120)]
    [InlineData(1, 2, 60)]
    [InlineData(3, 24, 5)]
    [InlineData(4, 120, 1)]
    [InlineData(-1, 24, 5)]
    [InlineData(-4, 1, 120)]
    public void FlattenAxes(long axis, int rows, int cols)
    {
        var (_, shape) = new OpGraph().Input("x", [2, 3, 4, 5], Random(120, 4)).Node("Flatten", ["x"], ["y"], ("axis", A(axis))).Output("y").RunF32();
        Assert.Equal([rows, cols], shape);
    }

    [Fact]
    public void SqueezeUnsqueezeBothForms()
    {
        var x = Random(12, 5);
        Assert.Equal([3, 4], new OpGraph(opset: 11).Input("x", [1, 3, 1, 4], x).Node("Squeeze", ["x"], ["y"], ("axes", A(0L, -2L))).Output("y").RunF32().Shape);
        Assert.Equal([3, 1, 4], new OpGraph(opset: 13).Input("x", [1, 3, 1, 4], x).ConstInts("a", 0).Node("Squeeze", ["x", "a"], ["y"]).Output("y").RunF32().Shape);
        Assert.Equal([3, 4], new OpGraph(opset: 13).Input("x", [1, 3, 1, 4], x).Node("Squeeze", ["x"], ["y"]).Output("y").RunF32().Shape);
        Assert.Equal([1, 3, 4, 1], new OpGraph(opset: 11).Input("x", [3, 4], x).Node("Unsqueeze", ["x"], ["y"], ("axes", A(-1L, 0L))).Output("y").RunF32().Shape);
        var (y, s) = new OpGraph(opset: 13).Input("x", [3, 4], x).ConstInts("a", 3, 1).Node("Unsqueeze", ["x", "a"], ["y"]).Output("y").RunF32();
        Assert.Equal([3, 1, 4, 1], s);
        Assert.Equal(x, y);
        var e = Assert.Throws<ModelException>(() => new OpGraph().Input("x", [2, 3], new float[6]).ConstInts("a", 0).Node("Squeeze", ["x", "a"], ["y"]).Output("y").Run());
        Assert.Contains("cannot squeeze axis 0 of size 2", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(-3)]
    public void ConcatAlongAxis(long axis)
    {
        int[] a = [2, 3, 4], b = [2, 3, 4];
        int ax = (int)(axis < 0 ? axis + 3 : axis);
        b[ax] = 1;
        var da = Random(Count(a), 1); var db = Random(Count(b), 2);
        var (y, shape) = new OpGraph().Input("a", a, da).Input("b", b, db).Node("Concat", ["a", "b"], ["y"], ("axis", A(axis))).Output("y").RunF32();
        var os = (int[])a.Clone(); os[ax] += 1;
        Assert.Equal(os, shape);
        for (int i = 0; i < y.Length; i++)
        {
            var c = Coords(i, os);
            float ex;
            if (c[ax] < a[ax]) ex = da[Flat(c, a)];
            else { c[ax] -= a[ax]; ex = db[Flat(c, b)]; }
            Assert.Equal(ex, y[i]);
        }
    }

    [Theory]
    [InlineData(new long[] { 0, 1, 2 })]
    [InlineData(new long[] { 2, 0, 1 })]
    [InlineData(new long[] { 1, 2, 0 })]
    [InlineData(new long[] { 2, 1, 0 })]
    [InlineData(new long[0])]
    public void TransposePermutations(long[] perm)
    {
        int[] s = [2, 3, 5];
        var x = Random(30, 3);
        var g = new OpGraph().Input("x", s, x);
        if (perm.Length > 0) g.Node("Transpose", ["x"], ["y"], ("perm", A(perm)));
        else g.Node("Transpose", ["x"], ["y"]);
        var (y, shape) = g.Output("y").RunF32();
        var p = perm.Length > 0 ? perm.Select(v => (int)v).ToArray() : [2, 1, 0];
        Assert.Equal(p.Select(d => s[d]).ToArray(), shape);
        for (int i = 0; i < y.Length; i++)
        {
            var c = Coords(i, shape);
            var src = new int[3];
            for (int d = 0; d < 3; d++) src[p[d]] = c[d];
            Assert.Equal(x[Flat(src, s)], y[i]);
        }
    }

    private static int RefPadIndex(int o, int begin, int dim, string mode)
    {
        int i = o - begin;
        if (mode == "edge") return Math.Clamp(i, 0, dim - 1);
        if (mode == "reflect")
        {
            while (i < 0 || i >= dim) i = i < 0 ? -i : 2 * (dim - 1) - i;
            return i;
        }
        return i >= 0 && i < dim ? i : -1;
    }

    [Theory]
    [InlineData("constant", new long[] { 0, 2, 1, 3 }, 11)]
    [InlineData("reflect", new long[] { 1, 2, 1, 2 }, 11)]
    [InlineData("edge", new long[] { 2, 0, 0, 3 }, 11)]
    [InlineData("constant", new long[] { 1, -1, 0, 2 }, 11)]
    [InlineData("constant", new long[] { 0, 2, 1, 3 }, 2)]
    public void PadModes(string mode, long[] pads, int opset)
    {
        int[] s = [3, 4];
        var x = Random(12, 4);
        var g = new OpGraph(opset).Input("x", s, x);
        if (opset >= 11) g.ConstInts("p", pads).Const("v", [], [1.5f]).Node("Pad", ["x", "p", mode == "constant" ? "v" : ""], ["y"], ("mode", A(mode)));
        else g.Node("Pad", ["x"], ["y"], ("mode", A(mode)), ("pads", A(pads)), ("value", A(1.5f)));
        var (y, shape) = g.Output("y").RunF32();
        int[] os = [3 + (int)(pads[0] + pads[2]), 4 + (int)(pads[1] + pads[3])];
        Assert.Equal(os, shape);
        for (int i = 0; i < y.Length; i++)
        {
            var c = Coords(i, os);
            int r = RefPadIndex(c[0], (int)pads[0], 3, mode), q = RefPadIndex(c[1], (int)pads[1], 4, mode);
            Assert.Equal(r < 0 || q < 0 ? 1.5f : x[r * 4 + q], y[i]);
        }
    }

    [Fact]
    public void PadAxesInput()
    {
        var x = Random(6, 5);
        var (y, shape) = new OpGraph(opset: 18).Input("x", [2, 3], x).ConstInts("p", 1, 2).ConstInts("axes", -1)
            .Node("Pad", ["x", "p", "", "axes"], ["y"]).Output("y").RunF32();
        Assert.Equal([2, 6], shape);
        Assert.Equal([0, x[0], x[1], x[2], 0, 0, 0, x[3], x[4], x[5], 0, 0], y);
    }

    [Theory]
    [InlineData(new long[] { 0, 1 }, new long[] { 3, 4 }, new long[] { 0, 1 }, new long[] { 1, 2 })]
    [InlineData(new long[] { -1, 100 }, new long[] { -100, -100 }, new long[] { 0, 1 }, new long[] { -1, -2 })]
    [InlineData(new long[] { 1 }, new long[] { 1000 }, new long[] { -1 }, new long[] { 1 })]
    [InlineData(new long[] { -100, 2 }, new long[] { 100, 1 }, new long[] { 0, 1 }, new long[] { 2, 1 })]
    [InlineData(new long[] { 20 }, new long[] { 30 }, new long[] { 0 }, new long[] { 1 })]
    public void SliceStepsAndClamping(long[] starts, long[] ends, long[] axes, long[] steps)
    {
        int[] s = [4, 6];
        var x = Random(24, 6);
        var (y, shape) = new OpGraph().Input("x", s, x).ConstInts("st", starts).ConstInts("en", ends).ConstInts("ax", axes).ConstInts("sp", steps)
            .Node("Slice", ["x", "st", "en", "ax", "sp"], ["y"]).Output("y").RunF32();
        // Reference: per axis list of selected indices, numpy-style.
        var sel = new List<int>[2] { Enumerable.Range(0, 4).ToList(), Enumerable.Range(0, 6).ToList() };
        for (int k = 0; k < axes.Length; k++)
        {
            int d = (int)(axes[k] < 0 ? axes[k] + 2 : axes[k]);
            int dim = s[d];
            long st = starts[k] < 0 ? starts[k] + dim : starts[k], en = ends[k] < 0 ? ends[k] + dim : ends[k], sp = steps[k];
            var list = new List<int>();
            if (sp > 0) { st = Math.Clamp(st, 0, dim); en = Math.Clamp(en, 0, dim); for (long i = st; i < en; i += sp) list.Add((int)i); }
            else { st = Math.Clamp(st, -1, dim - 1); en = Math.Clamp(en, -1, dim - 1); for (long i = st; i > en; i += sp) list.Add((int)i); }
            sel[d] = list;
        }
        Assert.Equal([sel[0].Count, sel[1].Count], shape);
        var ex = sel[0].SelectMany(r => sel[1].Select(c => x[r * 6 + c])).ToArray();
        Assert.Equal(ex, y);
    }

    [Fact]
    public void SliceAttributeForm()
    {
        var x = Random(24, 7);
        var (y, shape) = new OpGraph(opset: 9).Input("x", [4, 6], x)
            .Node("Slice", ["x"], ["y"], ("starts", A([1L])), ("ends", A([3L])), ("axes", A([1L]))).Output("y").RunF32();
        Assert.Equal([4, 2], shape);
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(r => new[] { x[r * 6 + 1], x[r * 6 + 2] }).ToArray(), y);
    }

    [Fact]
    public void SplitForms()
    {
        var x = Random(2 * 6, 8);
        var attr = new OpGraph(opset: 11).Input("x", [2, 6], x).Node("Split", ["x"], ["a", "b"], ("axis", A(1L)), ("split", A(2L, 4L))).Output("a", "b").Run();
        Assert.Equal([2, 2], attr[0].Shape);
        Assert.Equal(new[] { x[0], x[1], x[6], x[7] }, Values<float>(attr[0].Bytes));
        Assert.Equal(new[] { x[2], x[3], x[4], x[5], x[8], x[9], x[10], x[11] }, Values<float>(attr[1].Bytes));

        var input = new OpGraph(opset: 13).Input("x", [2, 6], x).ConstInts("s", 1, 1).Node("Split", ["x", "s"], ["a", "b"]).Output("a", "b").Run();
        Assert.Equal(x.Take(6), Values<float>(input[0].Bytes));
        Assert.Equal(x.Skip(6), Values<float>(input[1].Bytes));

        var equal = new OpGraph(opset: 13).Input("x", [2, 6], x).Node("Split", ["x"], ["a", "b", "c"], ("axis", A(-1L))).Output("a", "b", "c").Run();
        Assert.Equal(new[] { x[4], x[5], x[10], x[11] }, Values<float>(equal[2].Bytes));

        var uneven = new OpGraph(opset: 18).Input("x", [2, 6], x).Node("Split", ["x"], ["a", "b", "c", "d"], ("axis", A(1L)), ("num_outputs", A(4L))).Output("a", "b", "c", "d").Run();
        Assert.Equal([[2, 2], [2, 2], [2, 2], [2, 0]], uneven.Select(o => o.Shape));

        var zero = new OpGraph(opset: 13).Input("x", [6], Random(6, 9)).ConstInts("s", 0, 6).Node("Split", ["x", "s"], ["a", "b"]).Output("a", "b").Run();
        Assert.Equal([0], zero[0].Shape);
    }

    [Fact]
    public void GatherAnyAxisWithNegativeIndices()
    {
        var x = Random(3 * 4 * 2, 10);
        var (y, shape) = new OpGraph().Input("x", [3, 4, 2], x).Input("i", DataType.Int64, [2, 2], Bytes(0L, -1L, 2L, 1L))
            .Node("Gather", ["x", "i"], ["y"], ("axis", A(1L))).Output("y").RunF32();
        Assert.Equal([3, 2, 2, 2], shape);
        long[] idx = [0, 3, 2, 1];
        var ex = new List<float>();
        for (int a = 0; a < 3; a++) foreach (var k in idx) for (int c = 0; c < 2; c++) ex.Add(x[(a * 4 + (int)k) * 2 + c]);
        Assert.Equal(ex, y);

        var (z, zs) = new OpGraph().Input("x", [3, 2], Random(6, 11)).Input("i", DataType.Int32, [], Bytes(-3))
            .Node("Gather", ["x", "i"], ["y"]).Output("y").RunF32();
        Assert.Equal([2], zs);
    }

    [Fact]
    public void ShapeAndConstantsResolveAtCompileTime()
    {
        // x [2,3,4] → Shape → Gather(0) → Unsqueeze → Concat(-1) → Reshape: y [2, 12].
        var x = Random(24, 12);
        var g = new OpGraph(opset: 13).Input("x", [2, 3, 4], x)
            .Node("Shape", ["x"], ["s"])
            .Node("Constant", [], ["zero"], ("value_int", A(0L)))
            .Node("Gather", ["s", "zero"], ["n"])
            .ConstInts("ax", 0)
            .Node("Unsqueeze", ["n", "ax"], ["n1"])
            .Node("Constant", [], ["m1"], ("value_ints", A([-1L])))
            .Node("Concat", ["n1", "m1"], ["target"], ("axis", A(0L)))
            .Node("Reshape", ["x", "target"], ["y"])
            .Node("Shape", ["x"], ["tail"], ("start", A(-2L)))
            .Output("y", "tail");
        var r = g.Run();
        Assert.Equal([2, 12], r[0].Shape);
        Assert.Equal(x, Values<float>(r[0].Bytes));
        Assert.Equal([3L, 4L], Values<long>(r[1].Bytes));
        Assert.True(g.Graph["target"].IsConstant);

        var (c, cs) = new OpGraph().Node("Constant", [], ["c"], ("value", Ir.Attribute.Of(Tensor.FromFloats("v", [2, 2], [1, 2, 3, 4])))).Output("c").RunF32();
        Assert.Equal([2, 2], cs);
        Assert.Equal([1f, 2, 3, 4], c);
        var (f, fs) = new OpGraph().Node("Constant", [], ["c"], ("value_floats", Ir.Attribute.Of([0.5f, 1.5f]))).Output("c").RunF32();
        Assert.Equal([2], fs);
        Assert.Equal([0.5f, 1.5f], f);
    }
}
