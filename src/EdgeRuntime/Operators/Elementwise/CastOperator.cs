using System.Runtime.CompilerServices;
using System.Numerics;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Cast between float (16/32/64), signed/unsigned integer (8..64 bit) and bool types.
/// Float → integer truncates toward zero (saturating out of range); anything → bool is x != 0.
/// Strings and bfloat16 are not supported (clear <see cref="ModelException"/>).</summary>
public sealed class CastOperator : IOperator
{
    public string OpType => "Cast";

    private static bool Supported(DataType t) => ElementTypes.IsNumeric(t) || t is DataType.Bool or DataType.Float16;

    private static string Name(DataType t) => Enum.IsDefined(t) ? t.ToString() : $"type code {(int)t}";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (!node.Has("to")) throw new ModelException($"{graph.Source}: {node.Describe()}: attribute 'to' is required");
        var to = (DataType)node.GetInt("to", 0);
        if (!Supported(x.Type)) throw new UnsupportedFeatureException($"{graph.Source}: {node.Describe()}: casting from {Name(x.Type)} is not supported");
        if (!Supported(to)) throw new UnsupportedFeatureException($"{graph.Source}: {node.Describe()}: casting to {Name(to)} is not supported");
        ShapeInference.SetOutput(graph, node, 0, to, (int[])x.Shape.Clone());
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public int InPlaceInput(Node node, Graph graph) =>
        graph[node.Inputs[0]].Type.SizeInBytes() == graph[node.Outputs[0]].Type.SizeInBytes() ? 0 : -1;

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        return ctx.Input(0).Type switch
        {
            DataType.Float32 => From<float>(ctx),
            DataType.Float64 => From<double>(ctx),
            DataType.Float16 => From<Half>(ctx),
            DataType.Int8 => From<sbyte>(ctx),
            DataType.UInt8 or DataType.Bool => From<byte>(ctx),
            DataType.Int16 => From<short>(ctx),
            DataType.UInt16 => From<ushort>(ctx),
            DataType.Int32 => From<int>(ctx),
            DataType.UInt32 => From<uint>(ctx),
            DataType.Int64 => From<long>(ctx),
            _ => From<ulong>(ctx),
        };
    }

    private static OpKernel From<TF>(KernelContext ctx) where TF : unmanaged, INumberBase<TF> => ctx.Output(0).Type switch
    {
        DataType.Float32 => Make<TF, float>(ctx),
        DataType.Float64 => Make<TF, double>(ctx),
        DataType.Float16 => Make<TF, Half>(ctx),
        DataType.Int8 => Make<TF, sbyte>(ctx),
        DataType.UInt8 => Make<TF, byte>(ctx),
        DataType.Bool => Make<TF, bool>(ctx),
        DataType.Int16 => Make<TF, short>(ctx),
        DataType.UInt16 => Make<TF, ushort>(ctx),
        DataType.Int32 => Make<TF, int>(ctx),
        DataType.UInt32 => Make<TF, uint>(ctx),
        DataType.Int64 => Make<TF, long>(ctx),
        _ => Make<TF, ulong>(ctx),
    };

    private static unsafe OpKernel Make<TF, TT>(KernelContext ctx) where TF : unmanaged, INumberBase<TF> where TT : unmanaged
    {
        var output = ctx.Output(0);
        return new CastKernel<TF, TT>((TF*)ctx.InputPtr(0), (TT*)ctx.OutputPtr(0), output.ElementCount, ElementTypes.PerFrame(ctx.Graph, output));
    }
}

/// <summary>y[i] = (TT)x[i]; <typeparamref name="TT"/> = bool writes 0/1 bytes.</summary>
public sealed unsafe class CastKernel<TF, TT>(TF* x, TT* y, long count, long perFrame) : OpKernel
    where TF : unmanaged, INumberBase<TF> where TT : unmanaged
{
    public override string KernelName => $"cast.{typeof(TF).Name.ToLowerInvariant()}.{typeof(TT).Name.ToLowerInvariant()}";

    public override void Execute(int frames)
    {
        long n = perFrame > 0 ? Math.Min(count, frames * perFrame) : count;
        if (typeof(TT) == typeof(bool))
        {
            byte* yb = (byte*)y;
            for (long i = 0; i < n; i++) yb[i] = TF.IsZero(x[i]) ? (byte)0 : (byte)1;
            return;
        }
        // Same-size aliasing is allowed: each element is read before its slot is written.
        for (long i = 0; i < n; i++) y[i] = Convert(x[i]);
    }

    private static TT Convert(TF v)
    {
        if (typeof(TT) == typeof(float)) { var r = float.CreateSaturating(v); return Unsafe.As<float, TT>(ref r); }
        if (typeof(TT) == typeof(double)) { var r = double.CreateSaturating(v); return Unsafe.As<double, TT>(ref r); }
        if (typeof(TT) == typeof(Half)) { var r = Half.CreateSaturating(v); return Unsafe.As<Half, TT>(ref r); }
        if (typeof(TT) == typeof(sbyte)) { var r = sbyte.CreateSaturating(v); return Unsafe.As<sbyte, TT>(ref r); }
        if (typeof(TT) == typeof(byte)) { var r = byte.CreateSaturating(v); return Unsafe.As<byte, TT>(ref r); }
        if (typeof(TT) == typeof(short)) { var r = short.CreateSaturating(v); return Unsafe.As<short, TT>(ref r); }
        if (typeof(TT) == typeof(ushort)) { var r = ushort.CreateSaturating(v); return Unsafe.As<ushort, TT>(ref r); }
        if (typeof(TT) == typeof(int)) { var r = int.CreateSaturating(v); return Unsafe.As<int, TT>(ref r); }
        if (typeof(TT) == typeof(uint)) { var r = uint.CreateSaturating(v); return Unsafe.As<uint, TT>(ref r); }
        if (typeof(TT) == typeof(long)) { var r = long.CreateSaturating(v); return Unsafe.As<long, TT>(ref r); }
        { var r = ulong.CreateSaturating(v); return Unsafe.As<ulong, TT>(ref r); }
    }
}
