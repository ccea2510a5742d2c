using EdgeRuntime.Ir;
using EdgeRuntime.Operators;

namespace EdgeRuntime.Passes;

/// <summary>Fuses Relu, Clip (constant bounds), LeakyRelu, Tanh and Sigmoid into the Conv, Gemm or
/// MatMul that produces their input, recording the <see cref="FusedActivation"/> attributes, when the
/// intermediate has no other consumer and the producer's operator implements
/// <see cref="ISupportsFusedActivation"/> (i.e. its kernel applies the activation).</summary>
public static class ActivationFusion
{
    private static readonly HashSet<string> s_producers = new(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul" };

    /// <returns>Number of activation nodes fused away.</returns>
    public static int Run(Graph graph)
    {
        int fused = 0;
        var outputs = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var act = graph.Nodes[i];
            if (act.Domain is not ("" or "ai.onnx") || act.Inputs.Count == 0 || act.Outputs.Count != 1) continue;
            var kind = Describe(graph, act);
            if (kind is not { } fa) continue;
            string y = act.Inputs[0];
            if (outputs.Contains(y) || graph.Consumers(y).Count() != 1) continue;
            var producer = graph.Producer(y);
            if (producer is null || producer.Domain is not ("" or "ai.onnx") || !s_producers.Contains(producer.OpType)) continue;
            if (producer.Outputs.Count != 1 || producer.Has(FusedActivation.AttributeName)) continue;
            if (!OperatorRegistry.TryGet(producer, out var op) || op is not ISupportsFusedActivation fusable) continue;
            if (graph[y].Type != DataType.Float32 || graph[y].Quant is not null) continue;
            if (!fusable.CanFuse(producer, graph, fa.Kind)) continue;
            fa.WriteTo(producer);
            producer.Outputs[0] = act.Outputs[0];
            graph.Tensors.Remove(y);
            graph.Nodes.RemoveAt(i);
            i--;
            fused++;
        }
        return fused;
    }

    /// <summary>The activation <paramref name="node"/> computes, or null when it is not fusable.</summary>
    public static FusedActivation? Describe(Graph graph, Node node)
    {
        switch (node.OpType)
        {
            case "Relu": return new FusedActivation(FusedActivationKind.Relu);
            case "Tanh": return new FusedActivation(FusedActivationKind.Tanh);
            case "Sigmoid": return new FusedActivation(FusedActivationKind.Sigmoid);
            case "LeakyRelu": return new FusedActivation(FusedActivationKind.LeakyRelu, alpha: node.GetFloat("alpha", 0.01f));
            case "Clip":
                float lo = float.NegativeInfinity, hi = float.PositiveInfinity;
                if (node.Has("min") || node.Has("max") || node.Inputs.Count == 1)
                {
                    // Opset < 11: bounds are attributes.
                    lo = node.GetFloat("min", lo);
                    hi = node.GetFloat("max", hi);
                }
                if (node.Inputs.Count > 1)
                {
                    if (!Bound(graph, node, 1, ref lo) || !Bound(graph, node, 2, ref hi)) return null;
                }
                return new FusedActivation(FusedActivationKind.Clip, min: lo, max: hi);
            default: return null;
        }
    }

    private static bool Bound(Graph graph, Node node, int input, ref float value)
    {
        if (!node.HasInput(input)) return true;
        if (!graph.TryGet(node.Inputs[input], out var t) || !t.IsConstant || t.Type != DataType.Float32 || t.ElementCount != 1) return false;
        value = t.ConstantFloats[0];
        return true;
    }
}
