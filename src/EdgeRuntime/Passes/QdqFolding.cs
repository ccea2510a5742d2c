using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Quantized;

namespace EdgeRuntime.Passes;

/// <summary>QDQ folding: the DequantizeLinear → op → QuantizeLinear groups of quantized ONNX models (QDQ form)
/// become integer operators. Conditions: every scale and zero point is a constant, activations are quantized
/// per tensor, weights per tensor or per output channel, the float intermediates have no other consumer and
/// are not graph outputs. Patterns:
/// <list type="bullet">
/// <item>Conv → QLinearConv, MatMul → QLinearMatMul, Gemm → com.microsoft QGemm (bias: DequantizeLinear(int32)
/// at the matching scale used as is, a float constant quantized to int32, round half to even), Add →
/// com.microsoft QLinearAdd; a Relu or Clip (constant bounds) between the op and the QuantizeLinear becomes the
/// folded op's output clamp (exact: quantization is monotonic).</item>
/// <item>AveragePool / GlobalAveragePool → com.microsoft QLinearAveragePool / QLinearGlobalAveragePool.</item>
/// <item>MaxPool and the data-movement ops (Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Identity) whose input
/// and output share scale, zero point and type run on the quantized tensor directly (exact).</item>
/// <item>Any other elementwise unary activation (Relu, Clip, LeakyRelu, Sigmoid, Tanh, HardSigmoid, HardSwish, Elu,
/// Selu, Erf, Gelu, Sqrt, Exp, Log, Abs, Neg) → edgert LookupTable, built by running the unfolded float path on
/// all 256 inputs (exact).</item>
/// </list>
/// Must run before constant folding (which would turn the weight DequantizeLinear into a float constant). Other
/// patterns are left as they are (they run in fp32 between DQ and Q).</summary>
public static class QdqFolding
{
    private static readonly HashSet<string> s_clampFusable = new(StringComparer.Ordinal) { "Conv", "MatMul", "Gemm", "Add" };
    private static readonly HashSet<string> s_sameParams = new(StringComparer.Ordinal) { "MaxPool", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity" };
    private static readonly HashSet<string> s_lut = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Erf", "Gelu", "Sqrt", "Exp", "Log", "Abs", "Neg",
    };

    /// <returns>True when at least one group was folded.</returns>
    public static bool Run(Graph graph)
    {
        bool any = false;
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var q = graph.Nodes[i];
            if (!IsOnnx(q, "QuantizeLinear")) continue;
            var op = graph.Producer(q.Inputs[0]);
            if (op is null || op.Domain is not ("" or "ai.onnx")) continue;
            Node? act = null;
            if (op.OpType is "Relu" or "Clip" && graph.Producer(op.Inputs[0]) is { Domain: "" or "ai.onnx" } p && s_clampFusable.Contains(p.OpType)
                && ActivationFusion.Describe(graph, op) is not null)
            {
                act = op;
                op = p;
            }
            var folded = op.OpType switch
            {
                "Conv" => FoldConv(graph, op, act, q),
                "MatMul" => FoldMatMul(graph, op, act, q),
                "Gemm" => FoldGemm(graph, op, act, q),
                "Add" => FoldAdd(graph, op, act, q),
                "AveragePool" or "GlobalAveragePool" when act is null => FoldAveragePool(graph, op, q),
                _ when act is null && s_sameParams.Contains(op.OpType) => FoldSameParams(graph, op, q),
                _ when act is null && s_lut.Contains(op.OpType) => FoldLookupTable(graph, op, q),
                _ => null,
            };
            if (folded is null) continue;
            int at = graph.Nodes.IndexOf(op);
            graph.Nodes[at] = folded;
            if (act is not null) graph.Nodes.Remove(act);
            graph.Nodes.Remove(q);
            any = true;
            i = -1; // restart: indices moved
        }
        if (any) Compiler.RemoveDeadNodes(graph);
        return any;
    }

    private static bool IsOnnx(Node n, string op) => n.OpType == op && n.Domain is "" or "ai.onnx";

    /// <summary>A dequantized value: quantized tensor name, its type and (when known) tensor, scale, zero point.</summary>
    private sealed record Dq(string Q, string Scale, string ZeroPoint, Tensor ScaleT, DataType Type, Tensor? QT);

    /// <summary>The DequantizeLinear producing <paramref name="tensor"/> with constant parameters.</summary>
    private static Dq? DequantOf(Graph g, string tensor, bool requireConstantInput, int? perChannelAxis)
    {
        var dq = g.Producer(tensor);
        if (dq is null || !IsOnnx(dq, "DequantizeLinear") || !dq.HasInput(1)) return null;
        // Before shape inference an activation's quantized tensor may not exist yet: its type is the zero point's.
        var q = g.TryGet(dq.Inputs[0], out var qt) && qt.Type != DataType.Undefined ? qt : null;
        if (!g.TryGet(dq.Inputs[1], out var s) || !s.IsConstant || s.Type != DataType.Float32) return null;
        if (requireConstantInput && q is not { IsConstant: true }) return null;
        string zp = "";
        var type = q?.Type ?? DataType.UInt8;
        if (dq.HasInput(2))
        {
            if (!g.TryGet(dq.Inputs[2], out var z) || !z.IsConstant) return null;
            zp = dq.Inputs[2];
            type = q?.Type ?? z.Type;
        }
        if (type is not (DataType.UInt8 or DataType.Int8 or DataType.Int32)) return null;
        if (s.ElementCount != 1)
        {
            if (perChannelAxis is not int axis || q is null) return null;
            int a = (int)dq.GetInt("axis", 1);
            if (a < 0) a += q.Shape.Length;
            if (a != axis) return null;
        }
        return new Dq(dq.Inputs[0], dq.Inputs[1], zp, s, type, q);
    }

    private static bool OnlyConsumer(Graph g, string tensor, Node consumer) =>
        !g.Outputs.Contains(tensor) && g.Consumers(tensor).All(n => ReferenceEquals(n, consumer));

    private static string ZeroPointOr(Graph g, string zeroPoint, string stem, DataType type)
    {
        if (zeroPoint.Length > 0) return zeroPoint;
        string name = g.UniqueName(stem + "_zero_point");
        g.Add(new Tensor(name, type, [], new byte[1]));
        return name;
    }

    private static string ZeroPointOr(Graph g, Dq d) => ZeroPointOr(g, d.ZeroPoint, d.Q, d.Type);

    /// <summary>The QuantizeLinear's per-tensor constant parameters (zero point "" when absent: uint8 0), when the
    /// op's output (through the activation, if any) reaches only it.</summary>
    private static Dq? Output(Graph g, Node op, Node? act, Node q)
    {
        if (op.Outputs.Count != 1 || !q.HasInput(1)) return null;
        if (act is null ? !OnlyConsumer(g, op.Outputs[0], q) : !OnlyConsumer(g, op.Outputs[0], act) || !OnlyConsumer(g, act.Outputs[0], q)) return null;
        if (!g.TryGet(q.Inputs[1], out var ys) || !ys.IsConstant || ys.Type != DataType.Float32 || ys.ElementCount != 1) return null;
        string yzp = "";
        var type = DataType.UInt8;
        if (q.HasInput(2))
        {
            if (!g.TryGet(q.Inputs[2], out var z) || !z.IsConstant || z.ElementCount != 1) return null;
            yzp = q.Inputs[2];
            type = z.Type;
        }
        if (type is not (DataType.UInt8 or DataType.Int8)) return null;
        return new Dq(q.Outputs[0], q.Inputs[1], yzp, ys, type, null);
    }

    /// <summary>The folded node writing the QuantizeLinear's output, with the activation (if any) as its clamp.</summary>
    private static Node Make(Graph g, string opType, string domain, Node op, Node? act, Node q, IEnumerable<string> inputs, bool copyAttributes)
    {
        var node = new Node(opType, op.Name.Length > 0 ? op.Name + "_quant" : q.Outputs[0], inputs, [q.Outputs[0]], domain);
        if (copyAttributes) foreach (var (k, v) in op.Attributes) node.Attributes[k] = v;
        if (act is not null) ActivationFusion.Describe(g, act)!.Value.WriteTo(node);
        return node;
    }

    private static bool PerTensor8(Dq? d) => d is not null && d.Type != DataType.Int32 && d.ScaleT.ElementCount == 1;

    private static Node? FoldConv(Graph g, Node conv, Node? act, Node q)
    {
        if (conv.Inputs.Count < 2) return null;
        var x = DequantOf(g, conv.Inputs[0], false, null);
        var w = DequantOf(g, conv.Inputs[1], true, 0);
        if (!PerTensor8(x) || w is null || w.Type == DataType.Int32) return null;
        if (w.QT!.Shape.Length is not (3 or 4)) return null; // QLinearConv: 1-D and 2-D
        if (!OnlyConsumer(g, conv.Inputs[1], conv)) return null;
        if (Output(g, conv, act, q) is not { } y) return null;
        string bias = "";
        if (conv.HasInput(2))
        {
            int m = w.QT.Shape[0];
            var ws = w.ScaleT.ConstantFloats;
            var scales = new double[m];
            for (int c = 0; c < m; c++) scales[c] = (double)x!.ScaleT.ConstantFloats[0] * ws[ws.Length == 1 ? 0 : c];
            bias = Int32Bias(g, conv.Inputs[2], scales, 1f);
            if (bias.Length == 0) return null;
        }
        return Make(g, "QLinearConv", "", conv, act, q,
            [x!.Q, x.Scale, ZeroPointOr(g, x), w.Q, w.Scale, ZeroPointOr(g, w), y.Scale, ZeroPointOr(g, y), .. (bias.Length > 0 ? new[] { bias } : [])],
            copyAttributes: true);
    }

    /// <summary>An int32 bias for the accumulator scale <paramref name="scales"/> (one per output channel): a
    /// DequantizeLinear(int32, zero point 0) whose scale matches (within 1e-6 relative) is used as is; a float
    /// constant is quantized (× <paramref name="beta"/>, round half to even). "" when neither.</summary>
    private static string Int32Bias(Graph g, string tensor, double[] scales, float beta)
    {
        int m = scales.Length;
        var b = DequantOf(g, tensor, true, 0);
        if (b is not null && b.Type == DataType.Int32 && (b.ZeroPoint.Length == 0 || g[b.ZeroPoint].ConstantAsInt64().All(z => z == 0))
            && b.QT!.ElementCount == m && beta == 1f)
        {
            var bs = b.ScaleT.ConstantFloats;
            for (int c = 0; c < m; c++)
                if (Math.Abs(bs[bs.Length == 1 ? 0 : c] - scales[c]) > 1e-6 * scales[c]) return "";
            return b.Q;
        }
        if (g.TryGet(tensor, out var bf) && bf is { IsConstant: true, Type: DataType.Float32 } && bf.ElementCount == m)
        {
            var vals = bf.ConstantFloats;
            var q32 = new int[m];
            for (int c = 0; c < m; c++)
                q32[c] = (int)Math.Clamp(Math.Round(beta * (double)vals[c] / scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
            string name = g.UniqueName(tensor + "_int32");
            g.Add(new Tensor(name, DataType.Int32, [m], System.Runtime.InteropServices.MemoryMarshal.AsBytes(q32.AsSpan()).ToArray()));
            return name;
        }
        return "";
    }

    private static Node? FoldMatMul(Graph g, Node mm, Node? act, Node q)
    {
        var a = DequantOf(g, mm.Inputs[0], false, null);
        var bDq = g.Producer(mm.Inputs[1]);
        int? bAxis = bDq is not null && g.TryGet(bDq.Inputs[0], out var bq) && bq.Shape.Length >= 2 ? bq.Shape.Length - 1 : null;
        var b = DequantOf(g, mm.Inputs[1], false, bAxis);
        if (!PerTensor8(a) || b is null || b.Type == DataType.Int32) return null;
        if (Output(g, mm, act, q) is not { } y) return null;
        return Make(g, "QLinearMatMul", "", mm, act, q,
            [a!.Q, a.Scale, ZeroPointOr(g, a), b.Q, b.Scale, ZeroPointOr(g, b), y.Scale, ZeroPointOr(g, y)], copyAttributes: false);
    }

    private static Node? FoldGemm(Graph g, Node gemm, Node? act, Node q)
    {
        bool transB = gemm.GetInt("transB", 0) != 0;
        var a = DequantOf(g, gemm.Inputs[0], false, null);
        var b = DequantOf(g, gemm.Inputs[1], false, transB ? 0 : 1);
        if (!PerTensor8(a) || b is null || b.Type == DataType.Int32) return null;
        if (Output(g, gemm, act, q) is not { } y) return null;
        string bias = "";
        if (gemm.HasInput(2))
        {
            if (b.QT is not { Shape.Length: 2 }) return null;
            int n = transB ? b.QT.Shape[0] : b.QT.Shape[1];
            if (!g.TryGet(gemm.Inputs[2], out var c) || !(c.ElementCount == n && c.Shape.Length >= 1 && c.Shape[^1] == n && c.Shape.Length <= 2)) return null;
            var bs = b.ScaleT.ConstantFloats;
            float alpha = gemm.GetFloat("alpha", 1f);
            var scales = new double[n];
            for (int j = 0; j < n; j++) scales[j] = (double)alpha * a!.ScaleT.ConstantFloats[0] * bs[bs.Length == 1 ? 0 : j];
            bias = Int32Bias(g, gemm.Inputs[2], scales, gemm.GetFloat("beta", 1f));
            if (bias.Length == 0) return null;
        }
        var node = Make(g, "QGemm", "com.microsoft", gemm, act, q,
            [a!.Q, a.Scale, ZeroPointOr(g, a), b.Q, b.Scale, ZeroPointOr(g, b), bias, y.Scale, ZeroPointOr(g, y)], copyAttributes: false);
        foreach (var attr in new[] { "alpha", "transA", "transB" })
            if (gemm.Attributes.TryGetValue(attr, out var v)) node.Attributes[attr] = v;
        return node;
    }

    private static Node? FoldAdd(Graph g, Node add, Node? act, Node q)
    {
        if (add.Inputs.Count != 2) return null;
        var a = DequantOf(g, add.Inputs[0], false, null);
        var b = DequantOf(g, add.Inputs[1], false, null);
        if (!PerTensor8(a) || !PerTensor8(b)) return null;
        if (Output(g, add, act, q) is not { } y) return null;
        return Make(g, "QLinearAdd", "com.microsoft", add, act, q,
            [a!.Q, a.Scale, ZeroPointOr(g, a), b!.Q, b.Scale, ZeroPointOr(g, b), y.Scale, ZeroPointOr(g, y)], copyAttributes: false);
    }

    private static Node? FoldAveragePool(Graph g, Node pool, Node q)
    {
        var x = DequantOf(g, pool.Inputs[0], false, null);
        if (!PerTensor8(x) || x!.QT is { } t && t.Shape.Length < 3) return null;
        if (Output(g, pool, null, q) is not { } y) return null;
        return Make(g, "QLinear" + pool.OpType, "com.microsoft", pool, null, q,
            [x.Q, x.Scale, ZeroPointOr(g, x), y.Scale, ZeroPointOr(g, y)], copyAttributes: true);
    }

    /// <summary>MaxPool and data-movement ops commute with quantization when input and output share the parameters.</summary>
    private static Node? FoldSameParams(Graph g, Node op, Node q)
    {
        var x = DequantOf(g, op.Inputs[0], false, null);
        if (!PerTensor8(x) || Output(g, op, null, q) is not { } y) return null;
        if (op.OpType == "MaxPool" && op.Outputs.Count > 1 && op.Outputs[1].Length > 0) return null;
        if (x!.Type != y.Type || x.ScaleT.ConstantFloats[0] != y.ScaleT.ConstantFloats[0] || ZeroPointValue(g, x) != ZeroPointValue(g, y)) return null;
        var node = new Node(op.OpType, op.Name.Length > 0 ? op.Name + "_quant" : q.Outputs[0], [x.Q, .. op.Inputs.Skip(1)], [q.Outputs[0]], op.Domain);
        foreach (var (k, v) in op.Attributes) node.Attributes[k] = v;
        return node;
    }

    private static long ZeroPointValue(Graph g, Dq d) => d.ZeroPoint.Length == 0 ? 0 : g[d.ZeroPoint].ConstantAsInt64()[0];

    /// <summary>An elementwise unary activation between DQ and Q: a 256-entry table computed by running exactly
    /// that float path (DequantizeLinear → op → QuantizeLinear, unoptimized) on every input value.</summary>
    private static Node? FoldLookupTable(Graph g, Node op, Node q)
    {
        var x = DequantOf(g, op.Inputs[0], false, null);
        if (!PerTensor8(x) || op.Outputs.Count != 1 || Output(g, op, null, q) is not { } y) return null;
        for (int i = 1; i < op.Inputs.Count; i++)
            if (op.Inputs[i].Length > 0 && !(g.TryGet(op.Inputs[i], out var extra) && extra.IsConstant)) return null;

        var mini = new Graph { Name = "lut", Source = g.Source, Opset = g.Opset };
        mini.Add(new Tensor("x", x!.Type, [256]));
        mini.Inputs.Add("x");
        foreach (var name in new[] { x.Scale, x.ZeroPoint, y.Scale, y.ZeroPoint }.Concat(op.Inputs.Skip(1)))
            if (name.Length > 0 && !mini.Tensors.ContainsKey(name)) { var t = g[name]; mini.Add(new Tensor(name, t.Type, (int[])t.Shape.Clone(), t.Constant)); }
        mini.Nodes.Add(new Node("DequantizeLinear", "dq", ["x", x.Scale, .. (x.ZeroPoint.Length > 0 ? new[] { x.ZeroPoint } : [])], ["xf"]));
        var f = new Node(op.OpType, "f", ["xf", .. op.Inputs.Skip(1)], ["yf"]);
        foreach (var (k, v) in op.Attributes) f.Attributes[k] = v;
        mini.Nodes.Add(f);
        mini.Nodes.Add(new Node("QuantizeLinear", "q", ["yf", y.Scale, .. (y.ZeroPoint.Length > 0 ? new[] { y.ZeroPoint } : [])], ["y"]));
        mini.Outputs.Add("y");
        byte[] table;
        try
        {
            using var s = new Session(Compiler.Compile(mini, new CompileOptions { Optimize = false }));
            for (int i = 0; i < 256; i++) s.InputBytes(0)[i] = (byte)i;
            s.Run();
            table = s.OutputBytes(0).ToArray();
        }
        catch (ModelException)
        {
            return null; // the op does not take these inputs: leave the group in float
        }
        return LookupTableOperator.Create(op.Name.Length > 0 ? op.Name + "_quant" : q.Outputs[0], x.Q, q.Outputs[0], y.Type, table);
    }
}
