using EdgeRuntime.Ir;
using EdgeRuntime.Operators;

namespace EdgeRuntime.Passes;

/// <summary>Folds an inference-mode BatchNormalization into the Conv, Gemm or MatMul(+Add) that
/// produces its input, when that intermediate has no other consumer and every parameter is constant:
/// with s = scale / sqrt(var + eps), W' = W·s per output channel and b' = (b - mean)·s + B.
/// New weight tensors are created (the originals may be shared with other nodes).</summary>
public static class BatchNormFolding
{
    /// <returns>Number of BatchNormalization nodes removed.</returns>
    public static int Run(Graph graph)
    {
        int folded = 0;
        var outputs = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var bn = graph.Nodes[i];
            if (bn.OpType != "BatchNormalization" || bn.Domain is not ("" or "ai.onnx")) continue;
            if (!TryFold(graph, bn, outputs)) continue;
            graph.Nodes.RemoveAt(i);
            i--;
            folded++;
        }
        return folded;
    }

    private static bool TryFold(Graph graph, Node bn, HashSet<string> graphOutputs)
    {
        // Inference form only: one real output (training outputs are optional and must be absent).
        if (bn.Inputs.Count < 5 || bn.Outputs.Skip(1).Any(o => o.Length > 0)) return false;
        if (bn.GetInt("training_mode", 0) != 0) return false;
        string y = bn.Inputs[0];
        if (graphOutputs.Contains(y)) return false;
        var parms = new Tensor[4];
        for (int k = 0; k < 4; k++)
        {
            if (!graph.TryGet(bn.Inputs[k + 1], out var t) || !t.IsConstant || t.Type != DataType.Float32) return false;
            parms[k] = t;
        }
        int channels = (int)parms[0].ElementCount;
        if (parms.Any(p => p.ElementCount != channels)) return false;
        if (graph.Consumers(y).Count() != 1) return false;
        var producer = graph.Producer(y);
        if (producer is null || producer.Domain is not ("" or "ai.onnx")) return false;
        var yt = graph[y];
        if (yt.Type != DataType.Float32 || yt.Shape.Length < 2 || yt.Shape[1] != channels) return false;
        if (producer.Has(FusedActivation.AttributeName)) return false;

        float eps = bn.GetFloat("epsilon", 1e-5f);
        var scale = new float[channels];
        var shift = new float[channels];
        var gamma = parms[0].ConstantFloats; var beta = parms[1].ConstantFloats;
        var mean = parms[2].ConstantFloats; var variance = parms[3].ConstantFloats;
        for (int c = 0; c < channels; c++)
        {
            scale[c] = gamma[c] / MathF.Sqrt(variance[c] + eps);
            shift[c] = beta[c] - mean[c] * scale[c];
        }

        // Either the producer (or the Add after a MatMul) takes over the BN's output, or the BN is
        // replaced by an Add of the shift (bare MatMul).
        Node? rewired = producer.OpType switch
        {
            "Conv" => FoldConv(graph, producer, scale, shift) ? producer : null,
            "Gemm" => FoldGemm(graph, producer, scale, shift) ? producer : null,
            "Add" => FoldMatMulAdd(graph, producer, scale, shift, graphOutputs) ? producer : null,
            "MatMul" => FoldBareMatMul(graph, producer, bn, scale, shift) ? bn : null,
            _ => null,
        };
        if (rewired is null) return false;
        if (rewired != bn)
        {
            int k = producer.Outputs.IndexOf(y);
            producer.Outputs[k] = bn.Outputs[0];
            graph.Tensors.Remove(y);
        }
        return true;
    }

    private static Tensor? ConstFloat(Graph graph, Node node, int input)
        => node.HasInput(input) && graph.TryGet(node.Inputs[input], out var t) && t.IsConstant && t.Type == DataType.Float32 ? t : null;

    private static string NewConstant(Graph graph, string stem, int[] shape, float[] data)
    {
        var t = graph.Add(Tensor.FromFloats(graph.UniqueName(stem), shape, data));
        return t.Name;
    }

    private static bool FoldConv(Graph graph, Node conv, float[] scale, float[] shift)
    {
        var w = ConstFloat(graph, conv, 1);
        if (w is null || w.Shape.Length < 3 || w.Shape[0] != scale.Length) return false;
        var b = conv.HasInput(2) ? ConstFloat(graph, conv, 2) : null;
        if (conv.HasInput(2) && (b is null || b.ElementCount != scale.Length)) return false;
        int per = (int)(w.ElementCount / scale.Length);
        var wd = w.ConstantFloats.ToArray();
        for (int m = 0; m < scale.Length; m++)
            for (int j = 0; j < per; j++) wd[m * per + j] *= scale[m];
        var bias = new float[scale.Length];
        for (int m = 0; m < scale.Length; m++) bias[m] = (b is null ? 0f : b.ConstantFloats[m]) * scale[m] + shift[m];
        conv.Inputs[1] = NewConstant(graph, w.Name + "_bnfolded", (int[])w.Shape.Clone(), wd);
        string bname = NewConstant(graph, (b?.Name ?? conv.Outputs[0] + "_bias") + "_bnfolded", [scale.Length], bias);
        while (conv.Inputs.Count < 3) conv.Inputs.Add("");
        conv.Inputs[2] = bname;
        return true;
    }

    private static bool FoldGemm(Graph graph, Node gemm, float[] scale, float[] shift)
    {
        int n = scale.Length;
        var w = ConstFloat(graph, gemm, 1);
        if (w is null || w.Shape.Length != 2) return false;
        bool transB = gemm.GetInt("transB", 0) != 0;
        if ((transB ? w.Shape[0] : w.Shape[1]) != n) return false;
        float beta = gemm.GetFloat("beta", 1f);
        float[] c = new float[n];
        if (gemm.HasInput(2))
        {
            var ct = ConstFloat(graph, gemm, 2);
            if (ct is null) return false;
            var cd = ct.ConstantFloats;
            // Only biases that broadcast along rows: scalar, [N], [1, N].
            if (ct.ElementCount == 1) Array.Fill(c, beta * cd[0]);
            else if (ct.ElementCount == n && (ct.Shape.Length == 1 || ct.Shape[0] == 1)) for (int j = 0; j < n; j++) c[j] = beta * cd[j];
            else return false;
        }
        var wd = w.ConstantFloats.ToArray();
        int rows = w.Shape[0], cols = w.Shape[1];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
                wd[r * cols + j] *= scale[transB ? r : j];
        for (int j = 0; j < n; j++) c[j] = c[j] * scale[j] + shift[j];
        gemm.Inputs[1] = NewConstant(graph, w.Name + "_bnfolded", [rows, cols], wd);
        while (gemm.Inputs.Count < 3) gemm.Inputs.Add("");
        gemm.Inputs[2] = NewConstant(graph, gemm.Outputs[0] + "_bias_bnfolded", [n], c);
        gemm.Set("beta", Ir.Attribute.Of(1f));
        return true;
    }

    /// <summary>Scale the columns of a MatMul's constant [K, N] right-hand side. Only rank-2 outputs
    /// (so BatchNormalization's channel axis 1 is the MatMul's N axis).</summary>
    private static string? ScaledMatMulWeights(Graph graph, Node matmul, float[] scale)
    {
        int n = scale.Length;
        var w = ConstFloat(graph, matmul, 1);
        if (w is null || w.Shape.Length != 2 || w.Shape[1] != n) return null;
        if (graph[matmul.Outputs[0]].Shape.Length != 2) return null;
        var wd = w.ConstantFloats.ToArray();
        for (int r = 0; r < w.Shape[0]; r++)
            for (int j = 0; j < n; j++) wd[r * n + j] *= scale[j];
        return NewConstant(graph, w.Name + "_bnfolded", (int[])w.Shape.Clone(), wd);
    }

    /// <summary>MatMul -> Add(constant bias) -> BN: both the weights and the bias absorb the BN.</summary>
    private static bool FoldMatMulAdd(Graph graph, Node add, float[] scale, float[] shift, HashSet<string> graphOutputs)
    {
        int n = scale.Length;
        if (add.Inputs.Count != 2) return false;
        int bi = -1;
        for (int k = 0; k < 2; k++)
            if (graph.TryGet(add.Inputs[k], out var t) && t.IsConstant && t.Type == DataType.Float32 && t.ElementCount == n
                && (t.Shape.Length == 1 || (t.Shape.Length == 2 && t.Shape[0] == 1))) bi = k;
        if (bi < 0) return false;
        string mm = add.Inputs[1 - bi];
        if (graphOutputs.Contains(mm) || graph.Consumers(mm).Count() != 1) return false;
        var matmul = graph.Producer(mm);
        if (matmul is null || matmul.OpType != "MatMul" || matmul.Domain is not ("" or "ai.onnx")) return false;
        string? w = ScaledMatMulWeights(graph, matmul, scale);
        if (w is null) return false;
        var b = graph[add.Inputs[bi]].ConstantFloats;
        var bias = new float[n];
        for (int j = 0; j < n; j++) bias[j] = b[j] * scale[j] + shift[j];
        matmul.Inputs[1] = w;
        add.Inputs[bi] = NewConstant(graph, add.Inputs[bi] + "_bnfolded", [n], bias);
        return true;
    }

    /// <summary>MatMul -> BN: the weights absorb the scale and the BN node becomes Add(y, shift)
    /// (only when an Add operator is registered).</summary>
    private static bool FoldBareMatMul(Graph graph, Node matmul, Node bn, float[] scale, float[] shift)
    {
        if (!OperatorRegistry.TryGet(new Node("Add", "", [], []), out _)) return false;
        string? w = ScaledMatMulWeights(graph, matmul, scale);
        if (w is null) return false;
        matmul.Inputs[1] = w;
        string y = bn.Inputs[0];
        var add = new Node("Add", bn.Name + "_bnfolded", [y, NewConstant(graph, y + "_bias_bnfolded", [scale.Length], shift)], [bn.Outputs[0]]);
        graph.Nodes.Insert(graph.Nodes.IndexOf(bn) + 1, add); // the caller removes bn
        return true;
    }
}
