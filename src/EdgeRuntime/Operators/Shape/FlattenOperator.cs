using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Flatten to 2-D at <c>axis</c> (default 1, negative allowed, axis = rank gives [N, 1]).</summary>
public sealed class FlattenOperator : ViewOperator
{
    public override string OpType => "Flatten";

    protected override int[] OutputShape(Node node, Graph graph, int[] input)
    {
        long axis = node.GetInt("axis", 1);
        int rank = input.Length;
        if (axis < 0) axis += rank;
        if (axis < 0 || axis > rank)
            throw new ModelException($"{graph.Source}: {node.Describe()}: axis {node.GetInt("axis", 1)} is out of range for rank {rank}");
        long a = 1, b = 1;
        for (int d = 0; d < rank; d++) { if (d < axis) a *= input[d]; else b *= input[d]; }
        return [checked((int)a), checked((int)b)];
    }
}
