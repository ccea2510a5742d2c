using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Helpers for shape-determining arguments: constant inputs and axis normalization.</summary>
public static class ShapeArgs
{
    /// <summary>Input <paramref name="i"/> as int64 values; it must be a compile-time constant.</summary>
    public static long[] ConstantInts(Node node, Graph graph, int i, string role)
    {
        var t = graph[node.Inputs[i]];
        if (!t.IsConstant)
            throw new ModelException($"{graph.Source}: {node.Describe()}: input '{t.Name}' ({role}) must be a constant for static planning");
        return t.ConstantAsInt64();
    }

    /// <summary>Attribute <paramref name="attr"/> (older opsets) or constant input <paramref name="input"/> (newer); null when neither is given.</summary>
    public static long[]? AttrOrInput(Node node, Graph graph, string attr, int input, string role)
    {
        if (node.HasInput(input)) return ConstantInts(node, graph, input, role);
        return node.GetInts(attr);
    }

    /// <summary>Axis in [-rank, rank) normalized to [0, rank), or a <see cref="ModelException"/>.</summary>
    public static int Axis(Node node, Graph graph, long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ModelException($"{graph.Source}: {node.Describe()}: axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
        return s;
    }

    public static string Fmt(IEnumerable<int> s) => "[" + string.Join(",", s) + "]";
}
