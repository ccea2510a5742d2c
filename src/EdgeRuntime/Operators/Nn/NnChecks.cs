using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Nn;

/// <summary>Shared checks for the neural-network operators: every error names the model and node.</summary>
internal static class NnChecks
{
    public static ModelException Error(Graph graph, Node node, string message) =>
        new($"{graph.Source}: {node.Describe()}: {message}");

    public static UnsupportedFeatureException Unsupported(Graph graph, Node node, string feature) =>
        new($"{graph.Source}: {node.Describe()}: {feature} is not supported");

    /// <summary>Input <paramref name="i"/>, which must be present.</summary>
    public static Tensor Input(Graph graph, Node node, int i, string role)
    {
        if (!node.HasInput(i)) throw Error(graph, node, $"missing required input {i} ({role})");
        return graph[node.Inputs[i]];
    }

    public static Tensor Float(Graph graph, Node node, int i, string role)
    {
        var t = Input(graph, node, i, role);
        if (t.Type != DataType.Float32)
            throw Error(graph, node, $"input {i} ({role}) '{t.Name}' is {t.Type.ShortName()}; only f32 is supported");
        return t;
    }

    public static void Rank(Graph graph, Node node, Tensor t, string role, int min, int max)
    {
        if (t.Shape.Length < min || t.Shape.Length > max)
            throw Error(graph, node, min == max
                ? $"{role} '{t.Name}' must have rank {min}, has shape [{string.Join(",", t.Shape)}]"
                : $"{role} '{t.Name}' must have rank {min}..{max}, has shape [{string.Join(",", t.Shape)}]");
    }

    public static string Dims(int[] shape) => $"[{string.Join(",", shape)}]";

    /// <summary>Number of non-empty outputs.</summary>
    public static int OutputCount(Node node) => node.Outputs.Count(o => o.Length > 0);

    public static int CheckedInt(Graph graph, Node node, long v, string what) =>
        v is >= 0 and <= int.MaxValue ? (int)v : throw Error(graph, node, $"{what} {v} is out of range");
}
