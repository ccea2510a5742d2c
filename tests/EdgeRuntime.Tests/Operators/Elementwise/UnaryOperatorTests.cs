using EdgeRuntime.Ir;
using static EdgeRuntime.Tests.Operators.OpGraph;

namespace EdgeRuntime.Tests.Operators.Elementwise;

public class UnaryOperatorTests
{
    private static double Erf(double x)
    {
        // Reference by numerical integration: erf(x) = 2/sqrt(pi) ∫0^x exp(-t²) dt (Simpson, 2000 steps).
        int n = 2000;
        double h = x / n, s = 1 + Math.Exp(-x * x);
        for (int i = 1; i < n; i++) s += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return s * h / 3 * 2 / Math.Sqrt(Math.PI);
    }

    public static TheoryData<string, int> Cases()
    {
        var d = new TheoryData<string, int>();
        foreach (var op in new[] { "Relu", "LeakyRelu", "Elu", "Selu", "Tanh", "Sigmoid", "HardSigmoid", "HardSwish", "Erf", "Gelu", "Sqrt", "Exp", "Log", "Abs", "Neg" })
            foreach (var n in new[] { 1, 7, 8, 67 }) d.Add(op, n);
        return d;
    }

    private static double Ref(string op, double x) => op switch
    {
        "Relu" => Math.Max(x, 0),
        "LeakyRelu" => x >= 0 ? x : 0.01 * x,
        "Elu" => x >= 0 ? x : Math.Exp(x) - 1,
        "Selu" => x > 0 ? 1.0507009873554805 * x : 1.0507009873554805 * 1.6732632423543772 * (Math.Exp(x) - 1),
        "Tanh" => Math.Tanh(x),
        "Sigmoid" => 1 / (1 + Math.Exp(-x)),
        "HardSigmoid" => Math.Clamp(0.2 * x + 0.5, 0, 1),
        "HardSwish" => x * Math.Clamp(x / 6 + 0.5, 0, 1),
        "Erf" => Erf(x),
        "Gelu" => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        "Sqrt" => Math.Sqrt(x),
        "Exp" => Math.Exp(x),
        "Log" => Math.Log(x),
        "Abs" => Math.Abs(x),
        "Neg" => -x,
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReference(string op, int n)
    {
        bool positive = op is "Sqrt" or "Log";
        var x = Random(n, n, positive ? 0.01f : -5f, 5f);
        var (y, _) = new OpGraph(opset: 20).Input("x", [n], x).Node(op, ["x"], ["y"]).Output("y").RunF32();
        Close(x.Select(v => (float)Ref(op, v)).ToArray(), y, 2e-6f);
    }

    [Fact]
    public void AttributesAreHonoured()
    {
        var x = Random(33, 2);
        var (lr, _) = new OpGraph().Input("x", [33], x).Node("LeakyRelu", ["x"], ["y"], ("alpha", A(0.3f))).Output("y").RunF32();
        Close(x.Select(v => v >= 0 ? v : 0.3f * v).ToArray(), lr);
        var (elu, _) = new OpGraph().Input("x", [33], x).Node("Elu", ["x"], ["y"], ("alpha", A(2f))).Output("y").RunF32();
        Close(x.Select(v => v >= 0 ? v : 2f * (MathF.Exp(v) - 1)).ToArray(), elu);
        var (hs, _) = new OpGraph().Input("x", [33], x).Node("HardSigmoid", ["x"], ["y"], ("alpha", A(0.5f)), ("beta", A(0.6f))).Output("y").RunF32();
        Close(x.Select(v => Math.Clamp(0.5f * v + 0.6f, 0, 1)).ToArray(), hs);
        var (selu, _) = new OpGraph().Input("x", [33], x).Node("Selu", ["x"], ["y"], ("alpha", A(2f)), ("gamma", A(3f))).Output("y").RunF32();
        Close(x.Select(v => v > 0 ? 3f * v : 3f * (2f * MathF.Exp(v) - 2f)).ToArray(), selu);
        var (gt, _) = new OpGraph(opset: 20).Input("x", [33], x).Node("Gelu", ["x"], ["y"], ("approximate", A("tanh"))).Output("y").RunF32();
        Close(x.Select(v => (float)(0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))))).ToArray(), gt);
    }

    [Fact]
    public void ChainRunsInPlace()
    {
        var x = Random(40, 3);
        var g = new OpGraph().Input("x", [40], x).Node("Neg", ["x"], ["a"]).Node("Relu", ["a"], ["b"]).Node("Sqrt", ["b"], ["y"]).Output("y");
        using var s = g.Compile();
        var plan = s.Plan;
        Assert.Equal(plan.ActivationOffsets["a"], plan.ActivationOffsets["b"]);
        s.Run();
        Close(x.Select(v => MathF.Sqrt(MathF.Max(-v, 0))).ToArray(), s.Output(0).ToArray());
    }

    [Fact]
    public void NonFloatInputIsRefusedWithReason()
    {
        var g = new OpGraph().Input("x", DataType.Int32, [2], Bytes(1, 2)).Node("Tanh", ["x"], ["y"]).Output("y");
        var e = Assert.Throws<UnsupportedFeatureException>(() => g.Run());
        Assert.Contains("i32", e.Message);
        Assert.Contains("Tanh", e.Message);
    }

    [Fact]
    public void ClipAttributeAndInputForms()
    {
        var x = Random(21, 4);
        var (a, _) = new OpGraph(opset: 6).Input("x", [21], x).Node("Clip", ["x"], ["y"], ("min", A(-1f)), ("max", A(0.5f))).Output("y").RunF32();
        Close(x.Select(v => Math.Clamp(v, -1f, 0.5f)).ToArray(), a);

        // Opset 11+: bounds are (runtime) inputs, each optional.
        var (b, _) = new OpGraph().Input("x", [21], x).Input("lo", [], [-0.25f]).Input("hi", [], [2f])
            .Node("Clip", ["x", "lo", "hi"], ["y"]).Output("y").RunF32();
        Close(x.Select(v => Math.Clamp(v, -0.25f, 2f)).ToArray(), b);
        var (c, _) = new OpGraph().Input("x", [21], x).Input("hi", [], [0f]).Node("Clip", ["x", "", "hi"], ["y"]).Output("y").RunF32();
        Close(x.Select(v => MathF.Min(v, 0)).ToArray(), c);
        var (d, _) = new OpGraph().Input("x", [21], x).Node("Clip", ["x"], ["y"]).Output("y").RunF32();
        Assert.Equal(x, d);

        var (i8, _) = new OpGraph().Input("x", DataType.Int8, [4], Bytes<sbyte>(-100, -3, 4, 100)).Input("hi", DataType.Int8, [], Bytes<sbyte>(5))
            .Node("Clip", ["x", "", "hi"], ["y"]).Output("y").Run()[0];
        Assert.Equal([-100, -3, 4, 5], Values<sbyte>(i8).Select(v => (int)v));
    }

    [Fact]
    public void StreamingProcessesOnlyValidFrames()
    {
        var g = new OpGraph(streaming: true, maxFrames: 4).Input("x", [4, 3], new float[12]).Const("b", [3], [1, 2, 3])
            .Node("Relu", ["x"], ["r"]).Node("Add", ["r", "b"], ["y"]).Output("y");
        using var s = g.Compile();
        var input = s.Input(0);
        for (int i = 0; i < 12; i++) input[i] = i - 5;
        s.Run(4);
        var full = s.Output(0).ToArray();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => MathF.Max(i - 5, 0) + 1 + i % 3).ToArray(), full);
        for (int i = 0; i < 12; i++) input[i] = 100;
        s.Run(2);
        var part = s.Output(0).ToArray();
        for (int i = 0; i < 6; i++) Assert.Equal(100 + 1 + i % 3, part[i]);
        for (int i = 6; i < 12; i++) Assert.Equal(full[i], part[i]); // rows past the valid frames untouched
    }
}
