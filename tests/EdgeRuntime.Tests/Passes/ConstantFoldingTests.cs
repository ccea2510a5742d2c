using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Passes;

public class ConstantFoldingTests
{
    [Fact]
    public void NodesWithConstantInputsBecomeConstants()
    {
        var g = new Graph { Source = "test" };
        float[] c = [1.5f, -2f, 3f];
        g.Add(Tensor.FromFloats("c", [3], c));
        g.Add(new Tensor("x", DataType.Float32, [3]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("Identity", "fold1", ["c"], ["c1"]));
        g.Nodes.Add(new Node("Identity", "fold2", ["c1"], ["c2"]));
        g.Nodes.Add(new Node("Identity", "keep", ["x"], ["y"]));
        g.Outputs.Add("y");
        g.Outputs.Add("c2");
        ShapeInference.Run(g);

        int n = ConstantFolding.Run(g);

        Assert.Equal(1, n); // fold2 produces a graph output and stays
        Assert.Equal(["fold2", "keep"], g.Nodes.Select(x => x.Name));
        Assert.True(g["c1"].IsConstant);
        Assert.Equal(c, g["c1"].ConstantFloats.ToArray());
    }

    [Fact]
    public void FoldedGraphComputesTheSameOutputs()
    {
        Graph Build()
        {
            var g = new Graph { Source = "test" };
            g.Add(Tensor.FromFloats("c", [2, 2], [1f, 2f, 3f, 4f]));
            g.Nodes.Add(new Node("Identity", "a", ["c"], ["c1"]));
            g.Nodes.Add(new Node("Identity", "b", ["c1"], ["out"]));
            g.Outputs.Add("out");
            return g;
        }
        using var folded = new Session(Compiler.Compile(Build()));
        using var plain = new Session(Compiler.Compile(Build(), new CompileOptions { Optimize = false }));
        folded.Run();
        plain.Run();
        Assert.Equal(plain.Output(0).ToArray(), folded.Output(0).ToArray());
        Assert.Equal([1f, 2f, 3f, 4f], folded.Output(0).ToArray());
        Assert.True(folded.Plan.Graph.Nodes.Count < plain.Plan.Graph.Nodes.Count);
    }

    [Fact]
    public void UnsupportedNodesAreLeftAlone()
    {
        var g = new Graph { Source = "test" };
        g.Add(Tensor.FromFloats("c", [1], [1f]));
        g.Add(new Tensor("z", DataType.Float32, [1]));
        g.Nodes.Add(new Node("NoSuchOp", "n", ["c"], ["z"]));
        g.Nodes.Add(new Node("Identity", "i", ["z"], ["out"]));
        g.Outputs.Add("out");
        Assert.Equal(0, ConstantFolding.Run(g));
        Assert.Equal(2, g.Nodes.Count);
    }
}
