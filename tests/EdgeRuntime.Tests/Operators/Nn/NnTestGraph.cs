using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Nn;

/// <summary>Builds a one-node graph whose inputs are all run-time inputs (weights included, as in
/// the ONNX node tests), runs it, and returns output 0.</summary>
internal static class NnTestGraph
{
    public static Graph Single(Node node, params (string Name, int[] Shape)[] inputs)
    {
        var g = new Graph { Name = node.OpType, Source = "test" };
        foreach (var (name, shape) in inputs)
        {
            g.Add(new Tensor(name, DataType.Float32, shape));
            g.Inputs.Add(name);
        }
        g.Nodes.Add(node);
        g.Outputs.Add(node.Outputs[0]);
        return g;
    }

    public static (float[] Output, int[] Shape) Run(Node node, params (string Name, int[] Shape, float[] Data)[] inputs)
    {
        var g = Single(node, inputs.Select(i => (i.Name, i.Shape)).ToArray());
        using var s = new Session(Compiler.Compile(g));
        for (int i = 0; i < inputs.Length; i++) inputs[i].Data.CopyTo(s.Input(i));
        s.Run();
        return (s.Output(0).ToArray(), g[node.Outputs[0]].Shape);
    }

    public static float[] Random(Random rnd, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();

    public static void Close(float[] expected, float[] actual, float tol = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"[{i}] expected {expected[i]}, got {actual[i]}");
    }
}
