using EdgeRuntime.Ir;
using static EdgeRuntime.Tests.Operators.OpGraph;

namespace EdgeRuntime.Tests.Operators.Elementwise;

public class BinaryOperatorTests
{
    public static TheoryData<string, int[], int[]> Cases()
    {
        var d = new TheoryData<string, int[], int[]>();
        int[][][] shapes =
        [
            [[2, 3, 4], [2, 3, 4]], [[2, 3, 4], [4]], [[2, 3, 4], [3, 1]], [[1], [5, 7]], [[3, 1, 5], [1, 4, 1]],
            [[2, 1, 33], [2, 7, 1]], [[17], [17]], [[], [3]], [[67], []], [[4, 1], [1, 35]], [[1, 2, 1, 3], [5, 1, 4, 1]],
        ];
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div", "Max", "Min" })
            foreach (var s in shapes) d.Add(op, s[0], s[1]);
        return d;
    }

    private static Func<float, float, float> Ref(string op) => op switch
    {
        "Add" => (a, b) => a + b,
        "Sub" => (a, b) => a - b,
        "Mul" => (a, b) => a * b,
        "Div" => (a, b) => a / b,
        "Max" => MathF.Max,
        "Min" => MathF.Min,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fp32BroadcastMatchesReference(string op, int[] a, int[] b)
    {
        var da = Random(Count(a), 1);
        var db = Random(Count(b), 2, 0.5f, 3f);
        var (y, shape) = new OpGraph().Input("a", a, da).Input("b", b, db).Node(op, ["a", "b"], ["y"]).Output("y").RunF32();
        Assert.Equal(RefBroadcast.Shape(a, b), shape);
        Close(RefBroadcast.Apply(a, da, b, db, Ref(op)), y, 1e-6f);
    }

    [Fact]
    public void ConstantSecondOperandBroadcasts()
    {
        var da = Random(2 * 3 * 5, 3);
        float[] bias = [1, 2, 3, 4, 5];
        var (y, _) = new OpGraph().Input("a", [2, 3, 5], da).Const("b", [5], bias).Node("Add", ["a", "b"], ["y"]).Output("y").RunF32();
        Close(RefBroadcast.Apply([2, 3, 5], da, [5], bias, (p, q) => p + q), y);
    }

    [Fact]
    public void LegacyBroadcastAlignsAtAxis()
    {
        var da = Random(2 * 3 * 4, 4);
        float[] b = [10, 20, 30];
        var (y, _) = new OpGraph(opset: 6).Input("a", [2, 3, 4], da).Input("b", [3], b)
            .Node("Add", ["a", "b"], ["y"], ("broadcast", A(1L)), ("axis", A(1L))).Output("y").RunF32();
        Close(RefBroadcast.Apply([2, 3, 4], da, [3, 1], b, (p, q) => p + q), y);
    }

    [Fact]
    public void IntegerTypes()
    {
        var (i32, _) = new OpGraph().Input("a", DataType.Int32, [3], Bytes(1, -2, 7)).Input("b", DataType.Int32, [3], Bytes(5, 5, -3))
            .Node("Add", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([6, 3, 4], Values<int>(i32));

        var (i64, _) = new OpGraph().Input("a", DataType.Int64, [4], Bytes(7L, -7L, 9L, 1L)).Input("b", DataType.Int64, [1], Bytes(2L))
            .Node("Div", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([3L, -3L, 4L, 0L], Values<long>(i64));

        var (u8, _) = new OpGraph().Input("a", DataType.UInt8, [2], Bytes<byte>(1, 200)).Input("b", DataType.UInt8, [2], Bytes<byte>(2, 100))
            .Node("Sub", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([unchecked((byte)(1 - 2)), (byte)100], u8);

        var (i8, _) = new OpGraph().Input("a", DataType.Int8, [3], Bytes<sbyte>(-5, 3, 0)).Input("b", DataType.Int8, [3], Bytes<sbyte>(1, -8, 0))
            .Node("Max", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([1, 3, 0], Values<sbyte>(i8).Select(v => (int)v));
    }

    [Fact]
    public void FloatingTypesOtherThanFp32()
    {
        var (f64, _) = new OpGraph().Input("a", DataType.Float64, [3], Bytes(1.5, -2.0, 1e300)).Input("b", DataType.Float64, [1], Bytes(0.25))
            .Node("Mul", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([0.375, -0.5, 2.5e299], Values<double>(f64));
        var (f16, _) = new OpGraph().Input("a", DataType.Float16, [3], Bytes((Half)1.5f, (Half)(-2f), (Half)3f)).Input("b", DataType.Float16, [3], Bytes((Half)2f, (Half)(-3f), (Half)3f))
            .Node("Max", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([(Half)2f, (Half)(-2f), (Half)3f], Values<Half>(f16));
    }

    [Fact]
    public void IntegerDivisionByZeroDoesNotTrap()
    {
        var (y, _) = new OpGraph().Input("a", DataType.Int32, [2], Bytes(4, 5)).Input("b", DataType.Int32, [2], Bytes(0, 2))
            .Node("Div", ["a", "b"], ["y"]).Output("y").Run()[0];
        Assert.Equal([0, 2], Values<int>(y));
    }

    [Fact]
    public void MixedTypesAreRefused()
    {
        var g = new OpGraph().Input("a", [2], [1, 2]).Input("b", DataType.Int32, [2], Bytes(1, 2)).Node("Add", ["a", "b"], ["y"]).Output("y");
        var e = Assert.Throws<ModelException>(() => g.Run());
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void IncompatibleShapesNameTheNode()
    {
        var g = new OpGraph().Input("a", [2, 3], new float[6]).Input("b", [4], new float[4]).Node("Mul", ["a", "b"], ["y"]).Output("y");
        var e = Assert.Throws<ModelException>(() => g.Run());
        Assert.Contains("Mul 'mul0'", e.Message);
        Assert.Contains("[2,3]", e.Message);
    }

    [Fact]
    public void VariadicMaxMinBroadcastAllInputs()
    {
        var d0 = Random(4, 5); var d1 = Random(3 * 4, 6); var d2 = Random(3, 7);
        var g = new OpGraph().Input("a", [4], d0).Input("b", [3, 4], d1).Input("c", [3, 1], d2)
            .Node("Max", ["a", "b", "c"], ["mx"]).Node("Min", ["a", "b", "c"], ["mn"]).Output("mx", "mn");
        var r = g.Run();
        var exMax = RefBroadcast.Apply([3, 4], RefBroadcast.Apply([4], d0, [3, 4], d1, MathF.Max), [3, 1], d2, MathF.Max);
        var exMin = RefBroadcast.Apply([3, 4], RefBroadcast.Apply([4], d0, [3, 4], d1, MathF.Min), [3, 1], d2, MathF.Min);
        Close(exMax, Values<float>(r[0].Bytes));
        Close(exMin, Values<float>(r[1].Bytes));

        var (one, _) = new OpGraph().Input("a", [5], [1, 2, 3, 4, 5]).Node("Max", ["a"], ["y"]).Output("y").RunF32();
        Assert.Equal([1f, 2, 3, 4, 5], one);
    }

    [Fact]
    public void PReluSlopeBroadcastsToX()
    {
        var x = Random(3 * 4 * 5, 8);
        var s = Random(5, 9, 0, 1);
        var (y, shape) = new OpGraph().Input("x", [3, 4, 5], x).Input("s", [5], s).Node("PRelu", ["x", "s"], ["y"]).Output("y").RunF32();
        Assert.Equal([3, 4, 5], shape);
        Close(RefBroadcast.Apply([3, 4, 5], x, [5], s, (a, b) => a < 0 ? a * b : a), y);

        // Per-channel slope of older models: [C] for [N, C, H, W] aligns on axis 1.
        var x4 = Random(2 * 3 * 2 * 2, 10);
        float[] c = [0.1f, 0.2f, 0.3f];
        var (y4, _) = new OpGraph(opset: 6).Input("x", [2, 3, 2, 2], x4).Const("s", [3], c).Node("PRelu", ["x", "s"], ["y"]).Output("y").RunF32();
        Close(RefBroadcast.Apply([2, 3, 2, 2], x4, [3, 1, 1], c, (a, b) => a < 0 ? a * b : a), y4);
    }

    [Fact]
    public void PowFloatAndMixedTypes()
    {
        var x = Random(12, 11, 0.1f, 3f);
        float[] e = [2, 0.5f, -1];
        var (y, _) = new OpGraph().Input("x", [4, 3], x).Input("e", [3], e).Node("Pow", ["x", "e"], ["y"]).Output("y").RunF32();
        Close(RefBroadcast.Apply([4, 3], x, [3], e, MathF.Pow), y, 1e-6f);

        var (fi, _) = new OpGraph().Input("x", [3], [1.5f, 2, -3]).Input("e", DataType.Int32, [3], Bytes(2, 3, 3))
            .Node("Pow", ["x", "e"], ["y"]).Output("y").Run()[0];
        Assert.Equal([2.25f, 8, -27], Values<float>(fi));

        var (ii, _) = new OpGraph().Input("x", DataType.Int64, [3], Bytes(1L, 2L, 3L)).Input("e", DataType.Int64, [3], Bytes(4L, 5L, 6L))
            .Node("Pow", ["x", "e"], ["y"]).Output("y").Run()[0];
        Assert.Equal([1L, 32L, 729L], Values<long>(ii));
    }

    [Fact]
    public void WhereBroadcastsThreeWays()
    {
        byte[] cond = [1, 0, 1];
        var x = Random(2 * 3, 12);
        float[] y = [-1];
        var (o, shape) = new OpGraph().Input("c", DataType.Bool, [3], cond).Input("x", [2, 3], x).Input("y", [1], y)
            .Node("Where", ["c", "x", "y"], ["o"]).Output("o").RunF32();
        Assert.Equal([2, 3], shape);
        var ex = new float[6];
        for (int i = 0; i < 6; i++) ex[i] = cond[i % 3] != 0 ? x[i] : -1;
        Assert.Equal(ex, o);

        var (l, _) = new OpGraph().Input("c", DataType.Bool, [2, 1], [0, 1]).Input("x", DataType.Int64, [2], Bytes(5L, 6L)).Input("y", DataType.Int64, [1], Bytes(9L))
            .Node("Where", ["c", "x", "y"], ["o"]).Output("o").Run()[0];
        Assert.Equal([9L, 9L, 5L, 6L], Values<long>(l));
    }
}
