using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Reshape: target shape as attribute (opset &lt; 5) or constant input; 0 copies the input
/// dimension (unless <c>allowzero</c>=1), one -1 is inferred.</summary>
public sealed class ReshapeOperator : ViewOperator
{
    public override string OpType => "Reshape";

    protected override int[] OutputShape(Node node, Graph graph, int[] input)
    {
        long[] target = ShapeArgs.AttrOrInput(node, graph, "shape", 1, "shape")
            ?? throw new ModelException($"{graph.Source}: {node.Describe()}: no target shape (input 'shape' or attribute 'shape')");
        bool allowZero = node.GetInt("allowzero", 0) != 0;
        var shape = new int[target.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long v = target[i];
            if (v == -1)
            {
                if (infer >= 0) throw new ModelException($"{graph.Source}: {node.Describe()}: more than one -1 in shape [{string.Join(",", target)}]");
                infer = i;
                continue;
            }
            if (v == 0 && !allowZero)
            {
                if (i >= input.Length) throw new ModelException($"{graph.Source}: {node.Describe()}: 0 at position {i} copies an input dimension that does not exist");
                v = input[i];
            }
            if (v < 0) throw new ModelException($"{graph.Source}: {node.Describe()}: invalid dimension {v} in shape [{string.Join(",", target)}]");
            shape[i] = checked((int)v);
            known *= v;
        }
        if (infer >= 0)
        {
            long total = input.Aggregate(1L, (a, d) => a * d);
            if (known == 0 || total % known != 0)
                throw new ModelException($"{graph.Source}: {node.Describe()}: cannot infer -1 reshaping {ShapeArgs.Fmt(input)} to [{string.Join(",", target)}]");
            shape[infer] = checked((int)(total / known));
        }
        return shape;
    }
}
