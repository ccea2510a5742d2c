using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>Shared checks and geometry for the TFLite operators (NHWC).</summary>
internal static class TfliteOp
{
    public static ModelException Error(Graph g, Node n, string what) => new($"{g.Source}: {n.Describe()}: {what}");

    /// <summary>The int8 output clamp the kernel library's requantization accepts (checked at kernel creation so
    /// Execute never throws): −128 ≤ min ≤ max ≤ 127.</summary>
    public static void CheckRequant(Graph g, Node n, int min, int max)
    {
        if (min < -128 || max > 127 || min > max)
            throw Error(g, n, $"quantized activation range [{min}, {max}] is empty or outside int8 (output scale/zero point do not fit the fused activation)");
    }

    public static Tensor In(Graph g, Node n, int i, string role)
    {
        if (!n.HasInput(i)) throw Error(g, n, $"missing input {i} ({role})");
        return g[n.Inputs[i]];
    }

    public static void Rank(Graph g, Node n, Tensor t, int rank, string role)
    {
        if (t.Shape.Length != rank)
            throw Error(g, n, $"{role} '{t.Name}' must have rank {rank}, has shape [{string.Join(",", t.Shape)}]");
    }

    public static string Activation(Graph g, Node n)
    {
        string a = n.GetString("activation", "NONE");
        if (a is not ("NONE" or "RELU" or "RELU6" or "RELU_N1_TO_1"))
            throw Error(g, n, $"fused activation {a} is not supported");
        return a;
    }

    public static (float Scale, int ZeroPoint) PerTensor(Graph g, Node n, Tensor t, string role)
    {
        if (t.Quant is not { } q || q.Scales.Length == 0)
            throw Error(g, n, $"{role} '{t.Name}' ({t.Type.ShortName()}) has no quantization parameters");
        if (q.Scales.Length != 1)
            throw Error(g, n, $"{role} '{t.Name}' must be quantized per tensor, has {q.Scales.Length} scales");
        return (q.Scales[0], (int)q.ZeroPoints[0]);
    }

    /// <summary>Per-output-channel scales of a filter (broadcast when per tensor).</summary>
    public static float[] ChannelScales(Graph g, Node n, Tensor filter, int channels, int axis)
    {
        if (filter.Quant is not { } q || q.Scales.Length == 0)
            throw Error(g, n, $"filter '{filter.Name}' has no quantization parameters");
        if (q.Scales.Length == 1) return Enumerable.Repeat(q.Scales[0], channels).ToArray();
        if (q.Scales.Length != channels || q.Axis != axis)
            throw Error(g, n, $"filter '{filter.Name}' has {q.Scales.Length} scales on axis {q.Axis}; expected {channels} on axis {axis}");
        foreach (long zp in q.ZeroPoints)
            if (zp != 0) throw Error(g, n, $"filter '{filter.Name}' per-channel zero point {zp} (must be 0)");
        return q.Scales;
    }

    public static int Stride(Graph g, Node n, string name)
    {
        long s = n.GetInt(name, 1);
        if (s < 1 || s > 1 << 16) throw Error(g, n, $"{name} = {s} is invalid");
        return (int)s;
    }

    /// <summary>TFLite output size and leading padding for one spatial axis.</summary>
    public static (int Out, int Pad) Geometry(Graph g, Node n, int input, int filter, int stride, int dilation)
    {
        if (filter < 1) throw Error(g, n, $"filter size {filter} is invalid");
        if (dilation < 1) throw Error(g, n, $"dilation {dilation} is invalid");
        int eff = (filter - 1) * dilation + 1;
        string padding = n.GetString("padding", "SAME");
        int output = padding switch
        {
            "SAME" => (input + stride - 1) / stride,
            "VALID" => (input + stride - eff) / stride,
            _ => throw Error(g, n, $"padding {padding} is not supported"),
        };
        if (output < 1) throw Error(g, n, $"filter {filter} (dilation {dilation}) does not fit input size {input} with {padding} padding");
        int total = Math.Max((output - 1) * stride + eff - input, 0);
        return (output, total / 2);
    }

    public static void RequireConstant(Graph g, Node n, Tensor t, string role)
    {
        if (!t.IsConstant) throw Error(g, n, $"{role} '{t.Name}' must be a constant");
    }

    public static void CheckType(Graph g, Node n, Tensor t, string role, params DataType[] allowed)
    {
        if (!allowed.Contains(t.Type))
            throw Error(g, n, $"{role} '{t.Name}' has type {t.Type.ShortName()}; expected {string.Join(" or ", allowed.Select(a => a.ShortName()))}");
    }
}
