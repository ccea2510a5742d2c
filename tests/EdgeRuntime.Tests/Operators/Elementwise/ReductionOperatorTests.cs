using EdgeRuntime.Ir;
using static EdgeRuntime.Tests.Operators.OpGraph;

namespace EdgeRuntime.Tests.Operators.Elementwise;

public class ReductionOperatorTests
{
    /// <summary>Softmax over groups: element i belongs to group key(i); plain double arithmetic.</summary>
    private static float[] RefSoftmax(float[] x, Func<int, int> key, bool log)
    {
        var groups = Enumerable.Range(0, x.Length).GroupBy(key);
        var y = new float[x.Length];
        foreach (var g in groups)
        {
            double max = g.Max(i => x[i]);
            double sum = g.Sum(i => Math.Exp(x[i] - max));
            foreach (var i in g) y[i] = (float)(log ? x[i] - max - Math.Log(sum) : Math.Exp(x[i] - max) / sum);
        }
        return y;
    }

    [Theory]
    [InlineData("Softmax", false)]
    [InlineData("LogSoftmax", true)]
    public void AxisSemanticsFollowTheOpset(string op, bool log)
    {
        var x = Random(2 * 3 * 5, 1);
        // Opset 13: along axis 1 only. Element (a, b, c) → group (a, c).
        var (y13, _) = new OpGraph(opset: 13).Input("x", [2, 3, 5], x).Node(op, ["x"], ["y"], ("axis", A(1L))).Output("y").RunF32();
        Close(RefSoftmax(x, i => i / 15 * 5 + i % 5, log), y13);
        // Opset 11: coerced to 2-D at axis 1: group = a.
        var (y11, _) = new OpGraph(opset: 11).Input("x", [2, 3, 5], x).Node(op, ["x"], ["y"], ("axis", A(1L))).Output("y").RunF32();
        Close(RefSoftmax(x, i => i / 15, log), y11);
        // Defaults: opset 13 → last axis; opset 11 → axis 1.
        var (d13, _) = new OpGraph(opset: 13).Input("x", [2, 3, 5], x).Node(op, ["x"], ["y"]).Output("y").RunF32();
        Close(RefSoftmax(x, i => i / 5, log), d13);
        var (neg, _) = new OpGraph(opset: 13).Input("x", [2, 3, 5], x).Node(op, ["x"], ["y"], ("axis", A(-3L))).Output("y").RunF32();
        Close(RefSoftmax(x, i => i % 15, log), neg);
    }

    [Fact]
    public void SoftmaxIsStableForLargeInputs()
    {
        float[] x = [10000, 10001, 10002];
        var (y, _) = new OpGraph().Input("x", [3], x).Node("Softmax", ["x"], ["y"]).Output("y").RunF32();
        Close(RefSoftmax([0, 1, 2], _ => 0, false), y);
    }

    private static float[] RefMean(float[] x, int[] shape, bool[] reduced)
    {
        var outShape = shape.Select((d, i) => reduced[i] ? 1 : d).ToArray();
        var sum = new double[Count(outShape)];
        var cnt = new int[sum.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int rem = i, o = 0, mul = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                int c = rem % shape[d]; rem /= shape[d];
                if (!reduced[d]) { o += c * mul; mul *= shape[d]; }
            }
            sum[o] += x[i]; cnt[o]++;
        }
        return sum.Select((s, i) => (float)(s / cnt[i])).ToArray();
    }

    [Fact]
    public void ReduceMeanAttributeAndInputForms()
    {
        int[] shape = [3, 2, 5];
        var x = Random(30, 2);
        var (a, sa) = new OpGraph(opset: 13).Input("x", shape, x).Node("ReduceMean", ["x"], ["y"], ("axes", A(0L, -1L))).Output("y").RunF32();
        Assert.Equal([1, 2, 1], sa);
        Close(RefMean(x, shape, [true, false, true]), a);

        var (b, sb) = new OpGraph(opset: 13).Input("x", shape, x).Node("ReduceMean", ["x"], ["y"], ("axes", A([1L])), ("keepdims", A(0L))).Output("y").RunF32();
        Assert.Equal([3, 5], sb);
        Close(RefMean(x, shape, [false, true, false]), b);

        var (c, sc) = new OpGraph(opset: 13).Input("x", shape, x).Node("ReduceMean", ["x"], ["y"]).Output("y").RunF32();
        Assert.Equal([1, 1, 1], sc);
        Close([(float)x.Average(v => (double)v)], c);

        var (d, sd) = new OpGraph(opset: 18).Input("x", shape, x).ConstInts("axes", 2).Node("ReduceMean", ["x", "axes"], ["y"]).Output("y").RunF32();
        Assert.Equal([3, 2, 1], sd);
        Close(RefMean(x, shape, [false, false, true]), d);

        var (e, se) = new OpGraph(opset: 18).Input("x", shape, x).Node("ReduceMean", ["x"], ["y"], ("noop_with_empty_axes", A(1L))).Output("y").RunF32();
        Assert.Equal(shape, se);
        Assert.Equal(x, e);
    }

    [Fact]
    public void ReduceMeanAxesMustBeConstant()
    {
        var g = new OpGraph(opset: 18).Input("x", [2, 2], new float[4]).Input("axes", DataType.Int64, [1], Bytes(1L))
            .Node("ReduceMean", ["x", "axes"], ["y"]).Output("y");
        var e = Assert.Throws<ModelException>(() => g.Run());
        Assert.Contains("input 'axes' (axes) must be a constant for static planning", e.Message);
    }

    [Fact]
    public void CastBetweenTypes()
    {
        float[] f = [1.9f, -1.9f, 0, 300.5f];
        var (i32, _) = new OpGraph().Input("x", [4], f).Node("Cast", ["x"], ["y"], ("to", A((long)DataType.Int32))).Output("y").Run()[0];
        Assert.Equal([1, -1, 0, 300], Values<int>(i32));
        var (b, _) = new OpGraph().Input("x", [4], f).Node("Cast", ["x"], ["y"], ("to", A((long)DataType.Bool))).Output("y").Run()[0];
        Assert.Equal([1, 1, 0, 1], b.Select(v => (int)v));
        var (fb, _) = new OpGraph().Input("x", DataType.Bool, [3], [1, 0, 1]).Node("Cast", ["x"], ["y"], ("to", A((long)DataType.Float32))).Output("y").Run()[0];
        Assert.Equal([1f, 0, 1], Values<float>(fb));
        var (l, _) = new OpGraph().Input("x", DataType.Int64, [2], Bytes(-3L, 1L << 40)).Node("Cast", ["x"], ["y"], ("to", A((long)DataType.Float64))).Output("y").Run()[0];
        Assert.Equal([-3.0, 1099511627776.0], Values<double>(l));
        var (h, _) = new OpGraph().Input("x", [2], [0.1f, 65504f]).Node("Cast", ["x"], ["y"], ("to", A((long)DataType.Float16))).Output("y").Run()[0];
        Assert.Equal([(Half)0.1f, (Half)65504f], Values<Half>(h));
    }

    [Fact]
    public void StringCastIsRefusedWithReason()
    {
        var g = new OpGraph().Input("x", [2], [1, 2]).Node("Cast", ["x"], ["y"], ("to", A((long)DataType.String))).Output("y");
        var e = Assert.Throws<UnsupportedFeatureException>(() => g.Run());
        Assert.Contains("casting to String is not supported", e.Message);
    }
}
