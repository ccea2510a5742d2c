using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Tests.Execution;

public class SessionTests
{
    private static Graph IdentityChain()
    {
        var g = new Graph { Name = "chain", Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [2, 3]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("Identity", "a", ["x"], ["y"]));
        g.Nodes.Add(new Node("Identity", "b", ["y"], ["z"]));
        g.Outputs.Add("z");
        return g;
    }

    [Fact]
    public void RunCopiesThroughViews()
    {
        var plan = Compiler.Compile(IdentityChain());
        using var s = new Session(plan);
        float[] input = [1, 2, 3, 4, 5, 6];
        var output = new float[6];
        s.Run(input, output);
        Assert.Equal(input, output);
    }

    [Fact]
    public void KeptIntermediateIsNotOverwrittenByALaterInPlaceOp()
    {
        // Neg → Add (in place on Neg's buffer) → t, kept as an output → Relu: Relu may not run in place on t.
        var g = new Graph { Name = "inplace", Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [4]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("c", [4], [1f, -5f, 2f, -7f]));
        g.Add(new Tensor("t", DataType.Float32, [4]));
        g.Nodes.Add(new Node("Neg", "neg", ["x"], ["a"]));
        g.Nodes.Add(new Node("Add", "add", ["a", "c"], ["t"]));
        g.Nodes.Add(new Node("Relu", "relu", ["t"], ["y"]));
        g.Outputs.Add("y");
        var o = new CompileOptions { Optimize = false };
        o.ExtraOutputs.Add("t");
        using var s = new Session(Compiler.Compile(g, o));
        new float[] { 1f, 2f, 3f, 4f }.CopyTo(s.Input(0));
        s.Run();
        Assert.Equal([0f, -7f, -1f, -11f], s.Output(1).ToArray());
        Assert.Equal([0f, 0f, 0f, 0f], s.Output(0).ToArray());
    }

    [Fact]
    public void WrongInputSizeIsRefusedNamingTheTensor()
    {
        using var s = new Session(Compiler.Compile(IdentityChain()));
        var e = Assert.Throws<ModelException>(() => s.Run(new float[5], new float[6]));
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void UnknownOperatorsAreAllListed()
    {
        var g = IdentityChain();
        g.Nodes.Add(new Node("Frobnicate", "f", ["z"], ["w"]));
        g.Nodes.Add(new Node("Zap", "q", ["w"], ["v"]));
        var e = Assert.Throws<UnsupportedOperatorException>(() => Compiler.Compile(g));
        Assert.Equal(["Frobnicate", "Zap"], e.Operators);
    }

    [Fact]
    public void GreedyPlannerNeverExceedsLinearAndNeverOverlapsLiveBuffers()
    {
        var rnd = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var reqs = Enumerable.Range(0, 12).Select(i =>
            {
                int a = rnd.Next(10), b = a + rnd.Next(4);
                return new BufferRequest($"t{i}", rnd.Next(1, 5000), a, b);
            }).ToList();
            var off = new GreedyBySizePlanner().Place(reqs);
            for (int i = 0; i < reqs.Count; i++)
                for (int j = i + 1; j < reqs.Count; j++)
                    if (reqs[i].Overlaps(reqs[j]))
                        Assert.True(off[i] + ArenaPlan.Align(reqs[i].Bytes) <= off[j] || off[j] + ArenaPlan.Align(reqs[j].Bytes) <= off[i]);
            Assert.True(ArenaPlan.Extent(reqs, off) <= ArenaPlan.Extent(reqs, new LinearPlanner().Place(reqs)));
            Assert.True(ArenaPlan.Extent(reqs, off) >= ArenaPlan.LowerBound(reqs));
            Assert.All(off, o => Assert.Equal(0, o % ArenaPlan.Alignment));
        }
    }
}

public class SessionAllocationTests
{
    [Fact]
    public void RunAllocatesNothing()
    {
        var g = new Graph { Name = "chain", Source = "test" };
        g.Add(new Tensor("x", DataType.Float32, [4]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("Identity", "a", ["x"], ["y"]));
        g.Outputs.Add("y");
        using var s = new Session(Compiler.Compile(g));
        AllocationAssert.NoAllocations(() => s.Run());
    }
}
