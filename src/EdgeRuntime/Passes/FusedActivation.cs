using System.Numerics;
using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Passes;

/// <summary>The fused-activation attribute contract between the fusion pass and the kernels of
/// Conv/Gemm/MatMul (and any op implementing <see cref="Operators.ISupportsFusedActivation"/>).
/// <para>Attributes on the producer node: <c>fused_activation</c> (string: "Relu", "Clip",
/// "LeakyRelu", "Tanh", "Sigmoid"), <c>fused_alpha</c> (float, LeakyRelu slope), <c>fused_min</c> /
/// <c>fused_max</c> (float, Clip bounds). A kernel reads them once with <see cref="FromNode"/> in
/// CreateKernel and calls <see cref="Apply(Span{float})"/> on the finished output rows (after bias).
/// Apply allocates nothing.</para></summary>
public readonly struct FusedActivation
{
    public const string AttributeName = "fused_activation";
    public const string AlphaAttribute = "fused_alpha";
    public const string MinAttribute = "fused_min";
    public const string MaxAttribute = "fused_max";

    public FusedActivation(FusedActivationKind kind, float alpha = 0.01f, float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        Kind = kind;
        Alpha = alpha;
        Min = min;
        Max = max;
    }

    public FusedActivationKind Kind { get; }
    public float Alpha { get; }
    public float Min { get; }
    public float Max { get; }
    public bool IsNone => Kind == FusedActivationKind.None;

    public static FusedActivation None => default;

    /// <summary>The activation recorded on <paramref name="node"/> (None when there is none).</summary>
    public static FusedActivation FromNode(Node node)
    {
        string s = node.GetString(AttributeName, "");
        return s switch
        {
            "" => None,
            "Relu" => new(FusedActivationKind.Relu),
            "Clip" => new(FusedActivationKind.Clip, min: node.GetFloat(MinAttribute, float.NegativeInfinity), max: node.GetFloat(MaxAttribute, float.PositiveInfinity)),
            "LeakyRelu" => new(FusedActivationKind.LeakyRelu, alpha: node.GetFloat(AlphaAttribute, 0.01f)),
            "Tanh" => new(FusedActivationKind.Tanh),
            "Sigmoid" => new(FusedActivationKind.Sigmoid),
            _ => throw new ModelException($"{node.Describe()}: unknown {AttributeName} '{s}'"),
        };
    }

    /// <summary>Record this activation on <paramref name="node"/>.</summary>
    public void WriteTo(Node node)
    {
        if (IsNone) { node.Attributes.Remove(AttributeName); return; }
        node.Set(AttributeName, Ir.Attribute.Of(Kind.ToString()));
        if (Kind == FusedActivationKind.LeakyRelu) node.Set(AlphaAttribute, Ir.Attribute.Of(Alpha));
        if (Kind == FusedActivationKind.Clip)
        {
            node.Set(MinAttribute, Ir.Attribute.Of(Min));
            node.Set(MaxAttribute, Ir.Attribute.Of(Max));
        }
    }

    /// <summary>Scalar definition (the reference the vector path is tested against).</summary>
    public float ApplyScalar(float x) => Kind switch
    {
        FusedActivationKind.Relu => MathF.Max(x, 0f),
        FusedActivationKind.Clip => MathF.Min(MathF.Max(x, Min), Max),
        FusedActivationKind.LeakyRelu => x >= 0f ? x : Alpha * x,
        FusedActivationKind.Tanh => ActivationsF32.Tanh(x),
        FusedActivationKind.Sigmoid => ActivationsF32.Sigmoid(x),
        _ => x,
    };

    public unsafe void Apply(float* data, long count)
    {
        while (count > 0)
        {
            int n = (int)Math.Min(count, int.MaxValue);
            Apply(new Span<float>(data, n));
            data += n;
            count -= n;
        }
    }

    /// <summary>Apply in place, vectorized and bit-exact with <see cref="ApplyScalar"/> (Tanh and Sigmoid are the
    /// kernel library's, the same as the unfused Tanh/Sigmoid operators).</summary>
    public void Apply(Span<float> data)
    {
        switch (Kind)
        {
            case FusedActivationKind.None:
                return;
            case FusedActivationKind.Relu:
                Bounded(data, 0f, float.PositiveInfinity);
                return;
            case FusedActivationKind.Clip:
                Bounded(data, Min, Max);
                return;
            case FusedActivationKind.LeakyRelu:
                Leaky(data, Alpha);
                return;
            case FusedActivationKind.Tanh:
                Activation.Tanh(data, data);
                return;
            case FusedActivationKind.Sigmoid:
                Activation.Sigmoid(data, data);
                return;
            default:
                for (int i = 0; i < data.Length; i++) data[i] = ApplyScalar(data[i]);
                return;
        }
    }

    private static void Bounded(Span<float> data, float lo, float hi)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<float>.Count)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(data);
            var vlo = new Vector<float>(lo);
            var vhi = new Vector<float>(hi);
            for (int j = 0; j < vs.Length; j++)
            {
                var v = vs[j];
                // Vector.Max/Min follow IEEE 754:2019 like MathF.Max/Min (NaN propagates, -0 < +0).
                vs[j] = Vector.Min(Vector.Max(v, vlo), vhi);
            }
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < data.Length; i++) data[i] = MathF.Min(MathF.Max(data[i], lo), hi);
    }

    private static void Leaky(Span<float> data, float alpha)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<float>.Count)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(data);
            var va = new Vector<float>(alpha);
            for (int j = 0; j < vs.Length; j++)
            {
                var v = vs[j];
                vs[j] = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, Vector<float>.Zero), v, v * va);
            }
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < data.Length; i++) data[i] = data[i] >= 0f ? data[i] : alpha * data[i];
    }
}
