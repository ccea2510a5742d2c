using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>Element access and saturation shared by the ONNX quantized operators (uint8/int8/int32).</summary>
internal static unsafe class QuantElements
{
    public static int Load(byte* p, long i, DataType t) => t switch
    {
        DataType.Int8 => ((sbyte*)p)[i],
        DataType.UInt8 => p[i],
        DataType.Int32 => ((int*)p)[i],
        _ => 0,
    };

    public static (int Min, int Max) Range(DataType t) => t == DataType.Int8 ? (-128, 127) : (0, 255);

    public static void Store(byte* p, long i, DataType t, double v)
    {
        var (lo, hi) = Range(t);
        Store(p, i, t, v, lo, hi);
    }

    /// <summary>Saturate to [lo, hi] (inside the type's range) and store.</summary>
    public static void Store(byte* p, long i, DataType t, double v, int lo, int hi)
    {
        int q = v <= lo ? lo : v >= hi ? hi : (int)v;
        if (t == DataType.Int8) ((sbyte*)p)[i] = (sbyte)q; else p[i] = (byte)q;
    }

    public static ModelException Error(Graph g, Node n, string what) => new($"{g.Source}: {n.Describe()}: {what}");

    public static void Require(Graph g, Node n, Tensor t, string role, params DataType[] types)
    {
        if (!types.Contains(t.Type))
            throw Error(g, n, $"{role} '{t.Name}' has type {t.Type.ShortName()}; expected {string.Join(" or ", types.Select(x => x.ShortName()))}");
    }

    /// <summary>Scales and zero points a kernel reads once, when it is created, must be constants.</summary>
    public static void RequireConstant(Graph g, Node n, int input, string role)
    {
        if (n.HasInput(input) && !g[n.Inputs[input]].IsConstant)
            throw Error(g, n, $"{role} '{n.Inputs[input]}' must be a constant (initializer)");
    }

    /// <summary>Number of scale/zero-point entries: 1 (per tensor) or <paramref name="channels"/>.</summary>
    public static int ParamCount(Graph g, Node n, Tensor p, string role, int channels)
    {
        long c = p.ElementCount;
        if (c == 1) return 1;
        if (p.Shape.Length == 1 && c == channels) return channels;
        throw Error(g, n, $"{role} '{p.Name}' has shape [{string.Join(",", p.Shape)}]; expected a scalar or {channels} values");
    }
}
