using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators;

namespace EdgeRuntime.Passes;

/// <summary>Evaluates nodes whose inputs are all constants (and Shape/Size, whose result depends only
/// on a known shape) at compile time, by compiling a one-node graph and running it in a
/// <see cref="Session"/>: every registered operator folds, with the very kernel that would have run.
/// Stateful operators (persistent memory) and nodes producing graph outputs are left alone.</summary>
public static class ConstantFolding
{
    /// <summary>Folded outputs larger than this stay computed at run time (folding must not blow up
    /// the weights, e.g. an Expand of a scalar).</summary>
    public const long MaxFoldedBytes = 16 << 20;

    /// <returns>Number of nodes folded.</returns>
    public static int Run(Graph graph)
    {
        int folded = 0;
        var outputs = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (!CanFold(node, graph, outputs, out var op)) continue;
            var values = Evaluate(node, graph);
            if (values is null) continue;
            for (int k = 0; k < node.Outputs.Count; k++)
                if (node.Outputs[k].Length > 0) graph[node.Outputs[k]].Constant = values[k];
            graph.Nodes.RemoveAt(i);
            i--;
            folded++;
        }
        return folded;
    }

    private static bool ShapeOnly(Node node) => node.Domain is "" or "ai.onnx" && node.OpType is "Shape" or "Size";

    private static bool CanFold(Node node, Graph graph, HashSet<string> graphOutputs, out IOperator op)
    {
        op = null!;
        if (!OperatorRegistry.TryGet(node, out op)) return false;
        if (node.Outputs.Count == 0 || node.Outputs.All(o => o.Length == 0)) return false;
        foreach (var o in node.Outputs)
        {
            if (o.Length == 0) continue;
            if (graphOutputs.Contains(o)) return false;
            if (!graph.TryGet(o, out var t) || !t.ShapeKnown || t.Type is DataType.Undefined or DataType.String) return false;
            if (t.ByteSize > MaxFoldedBytes) return false;
        }
        bool shapeOnly = ShapeOnly(node);
        foreach (var s in node.Inputs)
        {
            if (s.Length == 0) continue;
            if (!graph.TryGet(s, out var t)) return false;
            if (!t.IsConstant && !(shapeOnly && t.ShapeKnown)) return false;
        }
        try
        {
            if (op.Needs(node, graph).PersistentBytes > 0) return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
        return true;
    }

    /// <summary>Runs <paramref name="node"/> alone; null when it cannot be evaluated here (the node
    /// then simply stays in the graph and fails or succeeds at compile time as it would have).</summary>
    private static byte[][]? Evaluate(Node node, Graph graph)
    {
        var mini = new Graph
        {
            Name = $"fold {node.Describe()}",
            Source = graph.Source,
            Format = graph.Format,
            Opset = graph.Opset,
            MaxFrames = 1,
        };
        foreach (var s in node.Inputs)
        {
            if (s.Length == 0 || mini.Tensors.ContainsKey(s)) continue;
            var t = graph[s];
            var copy = new Tensor(t.Name, t.Type, (int[])t.Shape.Clone(), t.Constant, t.Quant) { Layout = t.Layout };
            if (!t.IsConstant)
            {
                // Shape/Size input: only its shape matters; feed zeros.
                mini.Inputs.Add(s);
            }
            mini.Add(copy);
        }
        foreach (var o in node.Outputs)
            if (o.Length > 0) mini.Outputs.Add(o);
        mini.Nodes.Add(node);
        try
        {
            var plan = Compiler.Compile(mini, new CompileOptions { Optimize = false });
            using var session = new Session(plan);
            session.Run();
            var result = new byte[node.Outputs.Count][];
            for (int k = 0; k < node.Outputs.Count; k++)
            {
                string o = node.Outputs[k];
                if (o.Length == 0) { result[k] = []; continue; }
                var planned = plan.Graph[o];
                var original = graph[o];
                if (planned.Type != original.Type || !planned.Shape.AsSpan().SequenceEqual(original.Shape)) return null;
                result[k] = session.TensorBytes(o).ToArray();
            }
            return result;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
