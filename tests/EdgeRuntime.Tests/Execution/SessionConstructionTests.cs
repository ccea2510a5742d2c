using EdgeRuntime.Ir;

namespace EdgeRuntime.Tests.Execution;

public class SessionConstructionFailureTests
{
    [Fact]
    public void AKernelThatCannotBeCreatedDoesNotCorruptTheHeap()
    {
        // Found by the ONNX suite: a kernel constructor that throws after the session allocated its
        // block made the finalizer free it a second time ("double free or corruption", abort).
        for (int i = 0; i < 20; i++)
        {
            var g = new Graph { Name = "bad", Source = "test" };
            g.Add(new Tensor("x", DataType.Float32, [4]));
            g.Inputs.Add("x");
            g.Nodes.Add(new Node("Identity", "id", ["x"], ["y"]));
            g.Outputs.Add("y");
            var plan = EdgeRuntime.Passes.Compiler.Compile(g);
            g.Add(new Tensor("ghost", DataType.Float32, [4]));
            g.Nodes[0].Inputs[0] = "ghost";   // no storage in the plan: kernel creation throws
            var e = Assert.ThrowsAny<ModelException>(() => new EdgeRuntime.Execution.Session(plan));
            Assert.Contains("ghost", e.Message);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
