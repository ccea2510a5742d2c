using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Passes;

/// <summary>Shape mismatches and bad run-time inputs: clear errors naming the node or tensor.</summary>
public class BadGraphTests
{
    private static Graph AddGraph(int[] a, int[] b)
    {
        var g = new Graph { Source = "m.onnx" };
        g.Add(new Tensor("a", DataType.Float32, a));
        g.Add(new Tensor("b", DataType.Float32, b));
        g.Inputs.Add("a");
        g.Inputs.Add("b");
        g.Nodes.Add(new Node("Add", "the_add", ["a", "b"], ["y"]));
        g.Outputs.Add("y");
        return g;
    }

    [Fact]
    public void IncompatibleBroadcastNamesTheNode()
    {
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(AddGraph([2, 3], [4])));
        Assert.Contains("m.onnx", e.Message);
        Assert.Contains("the_add", e.Message);
    }

    [Fact]
    public void UnknownInputDimensionAsksForAShape()
    {
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(AddGraph([-1, 3], [3])));
        Assert.Contains("input 'a'", e.Message);
        Assert.Contains("--shape a=", e.Message);
        // ... and giving it works.
        var o = new CompileOptions();
        o.InputShapes["a"] = [5, 3];
        Assert.Equal([5, 3], Compiler.Compile(AddGraph([-1, 3], [3]), o).Graph["y"].Shape);
    }

    [Fact]
    public void ShapeForAnInputThatDoesNotExistIsNamed()
    {
        var o = new CompileOptions();
        o.InputShapes["nope"] = [1];
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(AddGraph([2], [2]), o));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("a, b", e.Message);
    }

    [Fact]
    public void DanglingTensorReferenceIsNamed()
    {
        var g = AddGraph([2], [2]);
        g.Nodes.Add(new Node("Add", "second", ["y", "ghost"], ["z"]));
        g.Outputs[0] = "z";
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("'second'", e.Message);
        Assert.Contains("'ghost'", e.Message);
    }

    [Fact]
    public void KeepingAnUnknownTensorIsNamed()
    {
        var o = new CompileOptions();
        o.ExtraOutputs.Add("missing_tensor");
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(AddGraph([2], [2]), o));
        Assert.Contains("'missing_tensor'", e.Message);
    }

    [Fact]
    public void RunRejectsWrongSizesAndFrameCounts()
    {
        var g = new Graph { Source = "m.onnx" };
        g.Add(new Tensor("x", DataType.Float32, [2, 2]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("Relu", "r", ["x"], ["y"]));
        g.Outputs.Add("y");
        using var s = new Session(Compiler.Compile(g));
        Assert.Contains("'x'", Assert.Throws<ModelException>(() => s.Run(new float[3], new float[4])).Message);
        Assert.Contains("'y'", Assert.Throws<ModelException>(() => s.Run(new float[4], new float[3])).Message);
        Assert.Contains("frames must be 1..1", Assert.Throws<ModelException>(() => s.Run(2)).Message);
        Assert.Contains("frames must be 1..1", Assert.Throws<ModelException>(() => s.Run(0)).Message);
    }
}
