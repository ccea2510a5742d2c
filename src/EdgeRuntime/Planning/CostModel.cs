using EdgeRuntime.Ir;

namespace EdgeRuntime.Planning;

/// <summary>Multiply-accumulates per node, from shapes alone (the one table <c>info</c> and the
/// benchmarks share). Ops not in the table (element-wise, shape, pooling...) count 0 MACs. For
/// streaming graphs the figure is per call at the planned <see cref="Graph.MaxFrames"/>.</summary>
public static class CostModel
{
    /// <summary>How each op's MACs follow from its tensors.</summary>
    private enum Rule
    {
        /// <summary>out elements × weight elements / weight dim 0 (Conv OIHW, TFLite OHWI, FC [O, I]).</summary>
        ConvLike,
        /// <summary>ConvTranspose: input elements × weight elements / weight dim 0 (weights [C, M/g, k...]).</summary>
        ConvTranspose,
        /// <summary>out elements × weight dim -1 (TFLite depthwise [1, kh, kw, C·m]: kh·kw per output).</summary>
        Depthwise,
        /// <summary>out elements × K, K = last dim of input 0 (MatMul and its integer forms).</summary>
        MatMul,
        /// <summary>out elements × K with transA (Gemm).</summary>
        Gemm,
        /// <summary>steps·batch × (W + R elements) (ONNX GRU/LSTM/RNN, all directions and gates).</summary>
        Recurrent,
    }

    /// <summary>Op key (as <see cref="Operators.OperatorRegistry.Key"/>) → rule and weight input index.</summary>
    private static readonly Dictionary<string, (Rule Rule, int Weight)> s_table = new(StringComparer.Ordinal)
    {
        ["Conv"] = (Rule.ConvLike, 1),
        ["ConvInteger"] = (Rule.ConvLike, 1),
        ["QLinearConv"] = (Rule.ConvLike, 3),
        ["ConvTranspose"] = (Rule.ConvTranspose, 1),
        ["Gemm"] = (Rule.Gemm, 1),
        ["MatMul"] = (Rule.MatMul, 1),
        ["MatMulInteger"] = (Rule.MatMul, 1),
        ["QLinearMatMul"] = (Rule.MatMul, 3),
        ["com.microsoft:QGemm"] = (Rule.Gemm, 3),
        ["GRU"] = (Rule.Recurrent, 1),
        ["LSTM"] = (Rule.Recurrent, 1),
        ["RNN"] = (Rule.Recurrent, 1),
        ["edge:CausalConv1D"] = (Rule.ConvLike, 1),
        ["edge:Conv1D"] = (Rule.ConvLike, 1),
        ["edge:Dense"] = (Rule.ConvLike, 1),
        ["tflite:CONV_2D"] = (Rule.ConvLike, 1),
        ["tflite:FULLY_CONNECTED"] = (Rule.ConvLike, 1),
        ["tflite:DEPTHWISE_CONV_2D"] = (Rule.Depthwise, 1),
        ["tflite:TRANSPOSE_CONV"] = (Rule.ConvTranspose, 1),
        ["tflite:BATCH_MATMUL"] = (Rule.MatMul, 1),
    };

    public static IEnumerable<string> CountedOps => s_table.Keys;

    /// <summary>MACs of one node; 0 for ops the table does not list or whose tensors are missing.</summary>
    public static long Macs(Node node, Graph graph)
    {
        string key = node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}:{node.OpType}";
        if (!s_table.TryGetValue(key, out var entry)) return 0;
        Tensor? T(int i) => node.HasInput(i) && graph.TryGet(node.Inputs[i], out var t) ? t : null;
        Tensor? output = node.Outputs.Count > 0 && graph.TryGet(node.Outputs[0], out var o) ? o : null;
        var x = T(0);
        var w = T(entry.Weight);
        if (output is null || x is null) return 0;
        try
        {
            checked
            {
                switch (entry.Rule)
                {
                    case Rule.ConvLike:
                        return w is null || w.Shape.Length == 0 || w.Shape[0] == 0 ? 0 : output.ElementCount * (w.ElementCount / w.Shape[0]);
                    case Rule.ConvTranspose:
                        return w is null || w.Shape.Length == 0 || w.Shape[0] == 0 ? 0 : x.ElementCount * (w.ElementCount / w.Shape[0]);
                    case Rule.Depthwise:
                        return w is null || w.Shape.Length == 0 || w.Shape[^1] == 0 ? 0 : output.ElementCount * (w.ElementCount / w.Shape[^1]);
                    case Rule.MatMul:
                        return x.Shape.Length == 0 ? 0 : output.ElementCount * x.Shape[^1];
                    case Rule.Gemm:
                        if (x.Shape.Length != 2) return 0;
                        return output.ElementCount * (node.GetInt("transA", 0) != 0 ? x.Shape[0] : x.Shape[1]);
                    case Rule.Recurrent:
                        var r = T(2);
                        if (w is null || r is null || x.Shape.Length == 0 || x.Shape[^1] == 0) return 0;
                        return x.ElementCount / x.Shape[^1] * (w.ElementCount + r.ElementCount);
                }
            }
        }
        catch (OverflowException) { return long.MaxValue; }
        return 0;
    }

    public static long TotalMacs(Graph graph) => graph.Nodes.Sum(n => Macs(n, graph));

    /// <summary>Learned parameters a node reads: elements of its constant inputs, excluding integer
    /// shape/index tensors (int32 counts only when quantized, e.g. int8 model biases).</summary>
    public static long Params(Node node, Graph graph)
    {
        long p = 0;
        foreach (var name in node.Inputs.Where(s => s.Length > 0).Distinct())
            if (graph.TryGet(name, out var t) && IsParameter(t)) p += t.ElementCount;
        return p;
    }

    /// <summary>Parameters of the whole graph (each constant counted once).</summary>
    public static long TotalParams(Graph graph)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long p = 0;
        foreach (var n in graph.Nodes)
            foreach (var name in n.Inputs)
                if (name.Length > 0 && seen.Add(name) && graph.TryGet(name, out var t) && IsParameter(t)) p += t.ElementCount;
        return p;
    }

    public static bool IsParameter(Tensor t) => t.IsConstant && t.Type switch
    {
        DataType.Float32 or DataType.Float16 or DataType.Float64 or DataType.Int8 or DataType.UInt8 or DataType.Int16 => true,
        DataType.Int32 => t.Quant is not null,
        _ => false,
    };
}
