using EdgeRuntime.Ir;

namespace EdgeRuntime.Passes;

/// <summary>QDQ folding: DequantizeLinear → Conv / MatMul → QuantizeLinear groups (the QDQ form of
/// quantized ONNX models) become one QLinearConv / QLinearMatMul node running on the integer
/// kernels. Conditions: every scale and zero point is a constant, activations are quantized per
/// tensor, weights per tensor or per output channel, the float intermediates have no other consumer
/// and are not graph outputs. A Conv bias that is DequantizeLinear(int32) with scale x_scale·w_scale
/// is used as is; a float constant bias is quantized to int32 with that scale (round half to even).
/// Must run before constant folding (which would turn the weight DequantizeLinear into a float
/// constant). Other patterns are left as they are (they run in fp32 between DQ and Q).</summary>
public static class QdqFolding
{
    /// <returns>True when at least one group was folded.</returns>
    public static bool Run(Graph graph)
    {
        bool any = false;
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var q = graph.Nodes[i];
            if (!IsOnnx(q, "QuantizeLinear")) continue;
            var op = graph.Producer(q.Inputs[0]);
            if (op is null || !(IsOnnx(op, "Conv") || IsOnnx(op, "MatMul"))) continue;
            var folded = IsOnnx(op, "Conv") ? FoldConv(graph, op, q) : FoldMatMul(graph, op, q);
            if (folded is null) continue;
            int at = graph.Nodes.IndexOf(op);
            graph.Nodes[at] = folded;
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

    private static string ZeroPointOr(Graph g, Dq d, DataType type)
    {
        if (d.ZeroPoint.Length > 0) return d.ZeroPoint;
        string name = g.UniqueName(d.Q + "_zero_point");
        g.Add(new Tensor(name, type, [], new byte[1]));
        return name;
    }

    private static (Dq Y, string ZeroPoint)? Output(Graph g, Node op, Node q)
    {
        if (!OnlyConsumer(g, op.Outputs[0], q) || !q.HasInput(1)) return null;
        if (!g.TryGet(q.Inputs[1], out var ys) || !ys.IsConstant || ys.ElementCount != 1) return null;
        string yzp;
        if (q.HasInput(2))
        {
            if (!g.TryGet(q.Inputs[2], out var z) || !z.IsConstant || z.ElementCount != 1) return null;
            yzp = q.Inputs[2];
        }
        else
        {
            yzp = g.UniqueName(q.Outputs[0] + "_zero_point");
            g.Add(new Tensor(yzp, DataType.UInt8, [], new byte[1]));
        }
        return (new Dq(q.Outputs[0], q.Inputs[1], yzp, ys, g[yzp].Type, null), yzp);
    }

    private static Node? FoldConv(Graph g, Node conv, Node q)
    {
        if (conv.Inputs.Count < 2) return null;
        var x = DequantOf(g, conv.Inputs[0], false, null);
        var w = DequantOf(g, conv.Inputs[1], true, 0);
        if (x is null || w is null || x.Type == DataType.Int32 || w.Type == DataType.Int32) return null;
        if (!OnlyConsumer(g, conv.Inputs[1], conv)) return null;
        if (Output(g, conv, q) is not { } y) return null;
        string bias = "";
        if (conv.HasInput(2))
        {
            int m = w.QT!.Shape[0];
            float xs = x.ScaleT.ConstantFloats[0];
            var ws = w.ScaleT.ConstantFloats;
            var b = DequantOf(g, conv.Inputs[2], true, 0);
            if (b is not null && b.Type == DataType.Int32 && (b.ZeroPoint.Length == 0 || g[b.ZeroPoint].ConstantAsInt64().All(z => z == 0)))
            {
                var bs = b!.ScaleT.ConstantFloats;
                for (int c = 0; c < m; c++)
                {
                    double want = (double)xs * ws[ws.Length == 1 ? 0 : c];
                    if (Math.Abs(bs[bs.Length == 1 ? 0 : c] - want) > 1e-6 * want) return null;
                }
                bias = b.Q;
            }
            else if (g.TryGet(conv.Inputs[2], out var bf) && bf is { IsConstant: true, Type: DataType.Float32 } && bf.ElementCount == m)
            {
                var vals = bf.ConstantFloats;
                var q32 = new int[m];
                for (int c = 0; c < m; c++)
                    q32[c] = (int)Math.Clamp(Math.Round(vals[c] / ((double)xs * ws[ws.Length == 1 ? 0 : c]), MidpointRounding.ToEven), int.MinValue, int.MaxValue);
                bias = g.UniqueName(conv.Inputs[2] + "_int32");
                g.Add(new Tensor(bias, DataType.Int32, [m], System.Runtime.InteropServices.MemoryMarshal.AsBytes(q32.AsSpan()).ToArray()));
            }
            else return null;
        }
        var node = new Node("QLinearConv", conv.Name.Length > 0 ? conv.Name + "_qlinear" : q.Outputs[0],
            [x.Q, x.Scale, ZeroPointOr(g, x, x.Type), w.Q, w.Scale, ZeroPointOr(g, w, w.Type), y.Y.Scale, y.ZeroPoint, .. (bias.Length > 0 ? new[] { bias } : [])],
            [q.Outputs[0]]);
        foreach (var (k, v) in conv.Attributes) node.Attributes[k] = v;
        return node;
    }

    private static Node? FoldMatMul(Graph g, Node mm, Node q)
    {
        var a = DequantOf(g, mm.Inputs[0], false, null);
        var bDq = g.Producer(mm.Inputs[1]);
        int? bAxis = bDq is not null && g.TryGet(bDq.Inputs[0], out var bq) && bq.Shape.Length >= 2 ? bq.Shape.Length - 1 : null;
        var b = DequantOf(g, mm.Inputs[1], false, bAxis);
        if (a is null || b is null || a.Type == DataType.Int32 || b.Type == DataType.Int32) return null;
        if (Output(g, mm, q) is not { } y) return null;
        return new Node("QLinearMatMul", mm.Name.Length > 0 ? mm.Name + "_qlinear" : q.Outputs[0],
            [a.Q, a.Scale, ZeroPointOr(g, a, a.Type), b.Q, b.Scale, ZeroPointOr(g, b, b.Type), y.Y.Scale, y.ZeroPoint],
            [q.Outputs[0]]);
    }
}
