using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Passes;

public class FusedActivationTests
{
    public static TheoryData<FusedActivationKind> Kinds => new()
    {
        FusedActivationKind.Relu, FusedActivationKind.Clip, FusedActivationKind.LeakyRelu,
        FusedActivationKind.Tanh, FusedActivationKind.Sigmoid,
    };

    private static float Definition(FusedActivationKind k, float x) => k switch
    {
        FusedActivationKind.Relu => x < 0 ? 0 : x,
        FusedActivationKind.Clip => x < 0 ? 0 : x > 6 ? 6 : x,
        FusedActivationKind.LeakyRelu => x < 0 ? 0.2f * x : x,
        FusedActivationKind.Tanh => (float)Math.Tanh(x),
        FusedActivationKind.Sigmoid => (float)(1 / (1 + Math.Exp(-x))),
        _ => x,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ApplyMatchesTheDefinitionAtEveryLength(FusedActivationKind kind)
    {
        var fa = new FusedActivation(kind, alpha: 0.2f, min: 0f, max: 6f);
        var rnd = new Random(3);
        for (int len = 0; len <= 67; len++)
        {
            var data = Enumerable.Range(0, len).Select(_ => rnd.NextSingle() * 20f - 10f).ToArray();
            var expected = data.Select(x => Definition(kind, x)).ToArray();
            fa.Apply(data);
            for (int i = 0; i < len; i++) Assert.Equal(expected[i], data[i], 1e-6f);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AttributesRoundTrip(FusedActivationKind kind)
    {
        var node = new Node("Conv", "c", ["x"], ["y"]);
        new FusedActivation(kind, alpha: 0.3f, min: -1f, max: 2f).WriteTo(node);
        var back = FusedActivation.FromNode(node);
        Assert.Equal(kind, back.Kind);
        if (kind == FusedActivationKind.LeakyRelu) Assert.Equal(0.3f, back.Alpha);
        if (kind == FusedActivationKind.Clip) { Assert.Equal(-1f, back.Min); Assert.Equal(2f, back.Max); }
    }

    [Fact]
    public void UnknownActivationNamesTheNode()
    {
        var node = new Node("Conv", "conv7", ["x"], ["y"]).Set(FusedActivation.AttributeName, Ir.Attribute.Of("Swish"));
        var e = Assert.Throws<ModelException>(() => FusedActivation.FromNode(node));
        Assert.Contains("conv7", e.Message);
        Assert.True(FusedActivation.FromNode(new Node("Conv", "c", [], [])).IsNone);
    }

    [Fact]
    public void ClipBoundsComeFromConstantInputsOrAttributes()
    {
        var g = new Graph { Source = "test" };
        g.Add(Tensor.FromFloats("lo", [], [0f]));
        g.Add(Tensor.FromFloats("hi", [], [6f]));
        var relu6 = ActivationFusion.Describe(g, new Node("Clip", "c", ["y", "lo", "hi"], ["z"]));
        Assert.Equal((FusedActivationKind.Clip, 0f, 6f), (relu6!.Value.Kind, relu6.Value.Min, relu6.Value.Max));
        var old = ActivationFusion.Describe(g, new Node("Clip", "c", ["y"], ["z"]).Set("min", Ir.Attribute.Of(-1f)).Set("max", Ir.Attribute.Of(1f)));
        Assert.Equal((-1f, 1f), (old!.Value.Min, old.Value.Max));
        g.Add(new Tensor("dyn", DataType.Float32, []));
        Assert.Null(ActivationFusion.Describe(g, new Node("Clip", "c", ["y", "dyn", "hi"], ["z"])));
        Assert.Null(ActivationFusion.Describe(g, new Node("Softmax", "s", ["y"], ["z"])));
    }

    [Fact]
    public void NothingIsFusedIntoOperatorsThatDoNotAdvertiseSupport()
    {
        // Identity is registered but does not implement ISupportsFusedActivation; MatMul may not be
        // registered at all in this build. Either way the Relu must stay.
        var g = new Graph { Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [2]));
        g.Inputs.Add("x");
        g.Add(new Tensor("y", DataType.Float32, [2]));
        g.Nodes.Add(new Node("Identity", "i", ["x"], ["y"]));
        g.Nodes.Add(new Node("Relu", "r", ["y"], ["z"]));
        g.Outputs.Add("z");
        Assert.Equal(0, ActivationFusion.Run(g));
        Assert.Equal(2, g.Nodes.Count);
    }
}
