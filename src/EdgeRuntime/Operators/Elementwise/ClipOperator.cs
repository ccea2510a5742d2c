using System.Numerics;
using System.Runtime.Intrinsics;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Clip: bounds as attributes (opset &lt; 11) or as optional scalar inputs (11+, read at run
/// time so they may be graph inputs). Missing bounds are the type's limits.</summary>
public sealed class ClipOperator : IOperator
{
    public string OpType => "Clip";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (!ElementTypes.IsNumeric(x.Type)) throw ElementTypes.Unsupported(graph, node, x.Type);
        for (int i = 1; i <= 2; i++)
        {
            if (!node.HasInput(i)) continue;
            var b = graph[node.Inputs[i]];
            if (b.Type != x.Type || b.ElementCount != 1)
                throw new ModelException($"{graph.Source}: {node.Describe()}: bound '{b.Name}' must be a scalar of X's type {x.Type.ShortName()}");
        }
        ShapeInference.SetOutput(graph, node, 0, x.Type, (int[])x.Shape.Clone());
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        return ctx.Input(0).Type switch
        {
            DataType.Float32 => Make(node, ctx, float.NegativeInfinity, float.PositiveInfinity),
            DataType.Float64 => Make(node, ctx, double.NegativeInfinity, double.PositiveInfinity),
            DataType.Int8 => Make(node, ctx, sbyte.MinValue, sbyte.MaxValue),
            DataType.UInt8 => Make(node, ctx, byte.MinValue, byte.MaxValue),
            DataType.Int16 => Make(node, ctx, short.MinValue, short.MaxValue),
            DataType.UInt16 => Make(node, ctx, ushort.MinValue, ushort.MaxValue),
            DataType.Int32 => Make(node, ctx, int.MinValue, int.MaxValue),
            DataType.UInt32 => Make(node, ctx, uint.MinValue, uint.MaxValue),
            DataType.Int64 => Make(node, ctx, long.MinValue, long.MaxValue),
            _ => Make(node, ctx, ulong.MinValue, ulong.MaxValue),
        };
    }

    private static unsafe OpKernel Make<T>(Node node, KernelContext ctx, T lo, T hi) where T : unmanaged, INumber<T>
    {
        if (node.Has("min")) lo = T.CreateSaturating(node.GetFloat("min", 0));
        if (node.Has("max")) hi = T.CreateSaturating(node.GetFloat("max", 0));
        var output = ctx.Output(0);
        return new ClipKernel<T>((T*)ctx.InputPtr(0), (T*)ctx.OutputPtr(0), (T*)ctx.InputPtr(1), (T*)ctx.InputPtr(2), lo, hi,
            output.ElementCount, ElementTypes.PerFrame(ctx.Graph, output));
    }
}

public sealed unsafe class ClipKernel<T>(T* x, T* y, T* minPtr, T* maxPtr, T lo, T hi, long count, long perFrame) : OpKernel
    where T : unmanaged, INumber<T>
{
    public override void Execute(int frames)
    {
        long n = perFrame > 0 ? Math.Min(count, frames * perFrame) : count;
        T a = minPtr != null ? *minPtr : lo, b = maxPtr != null ? *maxPtr : hi;
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                Vector256.Min(Vector256.Max(Vector256.Load(x + i), va), vb).Store(y + i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var va = Vector128.Create(a);
            var vb = Vector128.Create(b);
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
                Vector128.Min(Vector128.Max(Vector128.Load(x + i), va), vb).Store(y + i);
        }
        for (; i < n; i++)
        {
            T v = x[i];
            if (v < a) v = a;
            if (v > b) v = b;
            y[i] = v;
        }
    }
}
