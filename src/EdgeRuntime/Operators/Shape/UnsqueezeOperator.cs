using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Unsqueeze: <c>axes</c> (attribute before opset 13, constant input from 13) index the
/// output's dimensions, negative counted from the output rank, any order.</summary>
public sealed class UnsqueezeOperator : ViewOperator
{
    public override string OpType => "Unsqueeze";

    protected override int[] OutputShape(Node node, Graph graph, int[] input)
    {
        long[] axes = ShapeArgs.AttrOrInput(node, graph, "axes", 1, "axes")
            ?? throw new ModelException($"{graph.Source}: {node.Describe()}: axes are required");
        int rank = input.Length + axes.Length;
        var inserted = new bool[rank];
        foreach (var a in axes)
        {
            int d = ShapeArgs.Axis(node, graph, a, rank);
            if (inserted[d]) throw new ModelException($"{graph.Source}: {node.Describe()}: axis {a} given twice");
            inserted[d] = true;
        }
        var shape = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) shape[d] = inserted[d] ? 1 : input[k++];
        return shape;
    }
}
