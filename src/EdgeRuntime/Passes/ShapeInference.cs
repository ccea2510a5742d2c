using EdgeRuntime.Ir;
using EdgeRuntime.Operators;

namespace EdgeRuntime.Passes;

/// <summary>Static shape and type inference over the graph in node order. Every output gets a
/// fully known shape or the node is named in the error.</summary>
public static class ShapeInference
{
    public static void Run(Graph graph)
    {
        foreach (var name in graph.Inputs)
        {
            var t = graph[name];
            if (!t.ShapeKnown)
                throw new ModelException($"{graph.Source}: input '{name}' has unknown dimensions [{string.Join(",", t.Shape)}]; give its shape (e.g. --shape {name}=1,3,32,32)");
        }
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
                if (input.Length > 0 && !graph.Tensors.ContainsKey(input))
                    throw new ModelException($"{graph.Source}: {node.Describe()} reads '{input}', which no node produces and is not a graph input or initializer");
            foreach (var output in node.Outputs)
                if (output.Length > 0 && !graph.Tensors.ContainsKey(output))
                    graph.Add(new Tensor(output, DataType.Undefined, [-1]));
            var op = OperatorRegistry.Get(node);
            try
            {
                op.InferShapes(node, graph);
            }
            catch (ModelException) { throw; }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidOperationException or OverflowException or NullReferenceException)
            {
                throw new ModelException($"{graph.Source}: {node.Describe()}: invalid inputs or attributes ({e.Message})", e);
            }
            foreach (var output in node.Outputs)
            {
                if (output.Length == 0) continue;
                var t = graph[output];
                if (t.Type == DataType.Undefined || !t.ShapeKnown)
                    throw new ModelException($"{graph.Source}: {node.Describe()}: could not infer the shape of output '{output}'");
            }
        }
    }

    /// <summary>Set output <paramref name="i"/> of <paramref name="node"/>.</summary>
    public static Tensor SetOutput(Graph graph, Node node, int i, DataType type, int[] shape, QuantParams? quant = null)
    {
        string name = node.Outputs[i];
        if (!graph.Tensors.TryGetValue(name, out var t)) t = graph.Add(new Tensor(name, type, shape));
        foreach (int d in shape)
            if (d < 0) throw new ModelException($"{graph.Source}: {node.Describe()}: output '{name}' would have negative dimension [{string.Join(",", shape)}]");
        t.Type = type;
        t.Shape = shape;
        if (quant is not null) t.Quant = quant;
        return t;
    }
}
