using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Where(cond, X, Y): three-way numpy broadcasting; any fixed-size element type (the
/// kernel only moves bytes).</summary>
public sealed class WhereOperator : IOperator
{
    public string OpType => "Where";

    public void InferShapes(Node node, Graph graph)
    {
        if (node.Inputs.Count(s => s.Length > 0) != 3) throw new ModelException($"{graph.Source}: {node.Describe()}: expects inputs condition, X, Y");
        var c = graph[node.Inputs[0]];
        var x = graph[node.Inputs[1]];
        var y = graph[node.Inputs[2]];
        if (c.Type != DataType.Bool) throw ElementTypes.Unsupported(graph, node, c.Type, "condition (must be bool)");
        if (x.Type != y.Type) throw new ModelException($"{graph.Source}: {node.Describe()}: X is {x.Type.ShortName()} but Y is {y.Type.ShortName()}");
        if (x.Type is DataType.String or DataType.Undefined) throw ElementTypes.Unsupported(graph, node, x.Type);
        ShapeInference.SetOutput(graph, node, 0, x.Type, Broadcasting.Shape(graph, node, [c.Shape, x.Shape, y.Shape]));
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var output = ctx.Output(0);
        var it = new BroadcastIterator(output.Shape, [ctx.Input(0).Shape, ctx.Input(1).Shape, ctx.Input(2).Shape]);
        long pf = ElementTypes.PerFrame(ctx.Graph, output);
        byte* c = ctx.InputPtr(0), x = ctx.InputPtr(1), y = ctx.InputPtr(2), o = ctx.OutputPtr(0);
        return output.Type.SizeInBytes() switch
        {
            1 => new WhereKernel<byte>(c, (byte*)x, (byte*)y, (byte*)o, it, pf),
            2 => new WhereKernel<ushort>(c, (ushort*)x, (ushort*)y, (ushort*)o, it, pf),
            4 => new WhereKernel<uint>(c, (uint*)x, (uint*)y, (uint*)o, it, pf),
            _ => new WhereKernel<ulong>(c, (ulong*)x, (ulong*)y, (ulong*)o, it, pf),
        };
    }
}

public sealed unsafe class WhereKernel<T>(byte* c, T* x, T* y, T* o, BroadcastIterator it, long perFrame) : OpKernel where T : unmanaged
{
    public override void Execute(int frames)
    {
        long limit = perFrame > 0 ? Math.Min(it.TotalElements, frames * perFrame) : it.TotalElements;
        Span<long> off = stackalloc long[3];
        int len = it.RowLength, sc = it.InnerStride[0], sx = it.InnerStride[1], sy = it.InnerStride[2];
        for (long r = 0; r < it.Rows; r++)
        {
            long start = r * len;
            long n = Math.Min(len, limit - start);
            if (n <= 0) break;
            it.RowOffsets(r, off);
            byte* cr = c + off[0];
            T* xr = x + off[1], yr = y + off[2], dst = o + start;
            for (long i = 0; i < n; i++) dst[i] = cr[i * sc] != 0 ? xr[i * sx] : yr[i * sy];
        }
    }
}
