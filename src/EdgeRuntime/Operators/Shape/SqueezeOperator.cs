using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Squeeze: <c>axes</c> as attribute (opset &lt; 13) or constant input; none = every size-1 dim.</summary>
public sealed class SqueezeOperator : ViewOperator
{
    public override string OpType => "Squeeze";

    protected override int[] OutputShape(Node node, Graph graph, int[] input)
    {
        long[]? axes = ShapeArgs.AttrOrInput(node, graph, "axes", 1, "axes");
        if (axes is null) return input.Where(d => d != 1).ToArray();
        var drop = new bool[input.Length];
        foreach (var a in axes)
        {
            int d = ShapeArgs.Axis(node, graph, a, input.Length);
            if (input[d] != 1) throw new ModelException($"{graph.Source}: {node.Describe()}: cannot squeeze axis {a} of size {input[d]}");
            drop[d] = true;
        }
        return input.Where((_, d) => !drop[d]).ToArray();
    }
}
