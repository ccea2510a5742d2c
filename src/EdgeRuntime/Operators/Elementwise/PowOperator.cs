using System.Numerics;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Pow(X, Y) with numpy broadcasting; the output has X's type and Y may be another numeric
/// type (opset 12+). Computed in double precision and rounded to the output type.</summary>
public sealed class PowOperator : IOperator
{
    public string OpType => "Pow";

    public void InferShapes(Node node, Graph graph)
    {
        if (!node.HasInput(0) || !node.HasInput(1)) throw new ModelException($"{graph.Source}: {node.Describe()}: expects inputs X and Y");
        var x = graph[node.Inputs[0]];
        var y = graph[node.Inputs[1]];
        if (x.Type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64)) throw ElementTypes.Unsupported(graph, node, x.Type, "base X");
        if (y.Type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64 or DataType.UInt32 or DataType.UInt64))
            throw ElementTypes.Unsupported(graph, node, y.Type, "exponent Y");
        ShapeInference.SetOutput(graph, node, 0, x.Type, Broadcasting.Shape(graph, node, Broadcasting.EffectiveShapes(graph, node)));
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public int InPlaceInput(Node node, Graph graph) =>
        graph[node.Inputs[0]].Shape.AsSpan().SequenceEqual(graph[node.Outputs[0]].Shape) ? 0 : -1;

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        return ctx.Input(0).Type switch
        {
            DataType.Float32 => ForExponent<float>(node, ctx),
            DataType.Float64 => ForExponent<double>(node, ctx),
            DataType.Int32 => ForExponent<int>(node, ctx),
            _ => ForExponent<long>(node, ctx),
        };
    }

    private static OpKernel ForExponent<TB>(Node node, KernelContext ctx) where TB : unmanaged, INumber<TB> => ctx.Input(1).Type switch
    {
        DataType.Float32 => Make<TB, float>(node, ctx),
        DataType.Float64 => Make<TB, double>(node, ctx),
        DataType.Int32 => Make<TB, int>(node, ctx),
        DataType.Int64 => Make<TB, long>(node, ctx),
        DataType.UInt32 => Make<TB, uint>(node, ctx),
        _ => Make<TB, ulong>(node, ctx),
    };

    private static unsafe OpKernel Make<TB, TE>(Node node, KernelContext ctx)
        where TB : unmanaged, INumber<TB> where TE : unmanaged, INumber<TE>
    {
        var output = ctx.Output(0);
        var it = new BroadcastIterator(output.Shape, Broadcasting.EffectiveShapes(ctx.Graph, node));
        return new PowKernel<TB, TE>((TB*)ctx.InputPtr(0), (TE*)ctx.InputPtr(1), (TB*)ctx.OutputPtr(0), it, ElementTypes.PerFrame(ctx.Graph, output));
    }
}

public sealed unsafe class PowKernel<TB, TE>(TB* x, TE* y, TB* o, BroadcastIterator it, long perFrame) : OpKernel
    where TB : unmanaged, INumber<TB> where TE : unmanaged, INumber<TE>
{
    public override void Execute(int frames)
    {
        long limit = perFrame > 0 ? Math.Min(it.TotalElements, frames * perFrame) : it.TotalElements;
        Span<long> off = stackalloc long[2];
        int len = it.RowLength, sx = it.InnerStride[0], sy = it.InnerStride[1];
        for (long r = 0; r < it.Rows; r++)
        {
            long start = r * len;
            long n = Math.Min(len, limit - start);
            if (n <= 0) break;
            it.RowOffsets(r, off);
            TB* xr = x + off[0];
            TE* yr = y + off[1];
            TB* dst = o + start;
            for (long i = 0; i < n; i++)
                dst[i] = TB.CreateSaturating(Math.Pow(double.CreateTruncating(xr[i * sx]), double.CreateTruncating(yr[i * sy])));
        }
    }
}
