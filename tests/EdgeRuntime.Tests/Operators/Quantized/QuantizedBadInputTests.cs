using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Quantized;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Quantized;

/// <summary>Malformed quantized nodes are refused at compile time with a ModelException naming the node and
/// the problem.</summary>
public class QuantizedBadInputTests
{
    private static Graph Base()
    {
        var g = new Graph { Source = "bad.onnx" };
        g.Add(new Tensor("a", DataType.Int8, [2, 8]));
        g.Inputs.Add("a");
        g.Add(new Tensor("b", DataType.Int8, [8, 3], new byte[24]));
        g.Add(Tensor.FromFloats("s", [], [0.1f]));
        g.Add(new Tensor("z", DataType.Int8, [], [0]));
        g.Add(new Tensor("u", DataType.UInt8, [], [0]));
        return g;
    }

    private static string Refused(Graph g, Node n)
    {
        g.Nodes.Add(n);
        g.Outputs.Add(n.Outputs[0]);
        return Assert.Throws<ModelException>(() => Compiler.Compile(g)).Message;
    }

    [Fact]
    public void QGemmWithoutOutputScaleIsRefused()
    {
        var msg = Refused(Base(), new Node("QGemm", "g", ["a", "s", "z", "b", "s", "z"], ["y"], "com.microsoft"));
        Assert.Contains("QGemm 'g'", msg);
        Assert.Contains("y_scale", msg);
    }

    [Fact]
    public void QGemmWithMismatchedInnerDimensionIsRefused()
    {
        var msg = Refused(Base(), new Node("QGemm", "g", ["a", "s", "z", "b", "s", "z", "", "s", "z"], ["y"], "com.microsoft").Set("transB", Ir.Attribute.Of(1L)));
        Assert.Contains("inner dimensions differ", msg);
    }

    [Fact]
    public void QGemmWithAPerRowBiasIsRefused()
    {
        var g = Base();
        g.Add(new Tensor("c", DataType.Int32, [2, 3], new byte[24]));
        var msg = Refused(g, new Node("QGemm", "g", ["a", "s", "z", "b", "s", "z", "c", "s", "z"], ["y"], "com.microsoft"));
        Assert.Contains("one value per column", msg);
    }

    [Fact]
    public void QLinearAddOfShapesThatDoNotBroadcastIsRefused()
    {
        var g = Base();
        g.Add(new Tensor("a2", DataType.Int8, [3, 5]));
        g.Inputs.Add("a2");
        var msg = Refused(g, new Node("QLinearAdd", "add", ["a", "s", "z", "a2", "s", "z", "s", "z"], ["y"], "com.microsoft"));
        Assert.Contains("cannot be broadcast", msg);
    }

    [Fact]
    public void QLinearAddWithAZeroPointOfTheWrongTypeIsRefused()
    {
        var msg = Refused(Base(), new Node("QLinearAdd", "add", ["a", "s", "u", "a", "s", "z", "s", "z"], ["y"], "com.microsoft"));
        Assert.Contains("A_zero_point", msg);
    }

    [Fact]
    public void QLinearAddWithARunTimeScaleIsRefused()
    {
        var g = Base();
        g.Add(new Tensor("rs", DataType.Float32, []));
        g.Inputs.Add("rs");
        var msg = Refused(g, new Node("QLinearAdd", "add", ["a", "rs", "z", "a", "s", "z", "s", "z"], ["y"], "com.microsoft"));
        Assert.Contains("A_scale 'rs' must be a constant", msg);
    }

    [Fact]
    public void ChannelsLastPoolingIsRefused()
    {
        var g = Base();
        g.Add(new Tensor("x", DataType.Int8, [1, 4, 4, 2]));
        g.Inputs.Add("x");
        var msg = Refused(g, new Node("QLinearGlobalAveragePool", "gap", ["x", "s", "z", "s", "z"], ["y"], "com.microsoft").Set("channels_last", Ir.Attribute.Of(1L)));
        Assert.Contains("channels_last", msg);
    }

    [Fact]
    public void LookupTableWithTheWrongNumberOfEntriesIsRefused()
    {
        var n = LookupTableOperator.Create("lut", "a", "y", DataType.Int8, new byte[256]);
        n.Set("table", Ir.Attribute.Of(new long[255]));
        var msg = Refused(Base(), n);
        Assert.Contains("255 entries, expected 256", msg);
    }

    [Fact]
    public void LookupTableWithValuesOutsideTheOutputTypeIsRefused()
    {
        var n = LookupTableOperator.Create("lut", "a", "y", DataType.Int8, new byte[256]);
        var t = new long[256];
        t[3] = 200;
        n.Set("table", Ir.Attribute.Of(t));
        Assert.Contains("[-128, 127]", Refused(Base(), n));
    }

    [Fact]
    public void FusedActivationAnIntegerOpCannotClampIsRefused()
    {
        var n = new Node("QLinearMatMul", "mm", ["a", "s", "z", "b", "s", "z", "s", "z"], ["y"]);
        new FusedActivation(FusedActivationKind.Tanh).WriteTo(n);
        Assert.Contains("fused Tanh", Refused(Base(), n));
    }
}
