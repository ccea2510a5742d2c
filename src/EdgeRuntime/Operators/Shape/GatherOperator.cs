using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Gather along <c>axis</c> with int32/int64 indices (run-time data; negative counts from
/// the end). Output shape = data[:axis] + indices + data[axis+1:]. An index outside the axis gives
/// zeros rather than reading out of bounds.</summary>
public sealed class GatherOperator : IOperator
{
    public string OpType => "Gather";

    public void InferShapes(Node node, Graph graph)
    {
        var data = graph[node.Inputs[0]];
        var idx = graph[node.Inputs[1]];
        if (idx.Type is not (DataType.Int32 or DataType.Int64)) throw ElementTypes.Unsupported(graph, node, idx.Type, "indices");
        int axis = ShapeArgs.Axis(node, graph, node.GetInt("axis", 0), data.Shape.Length);
        if (idx.IsConstant)
            foreach (var v in idx.ConstantAsInt64())
                if (v < -data.Shape[axis] || v >= data.Shape[axis])
                    throw new ModelException($"{graph.Source}: {node.Describe()}: index {v} is out of range for axis {axis} of size {data.Shape[axis]}");
        var shape = data.Shape.Take(axis).Concat(idx.Shape).Concat(data.Shape.Skip(axis + 1)).ToArray();
        ShapeInference.SetOutput(graph, node, 0, data.Type, shape, data.Quant);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var data = ctx.Input(0);
        var idx = ctx.Input(1);
        int axis = ShapeArgs.Axis(node, ctx.Graph, node.GetInt("axis", 0), data.Shape.Length);
        long outer = 1, inner = data.Type.SizeInBytes();
        for (int d = 0; d < axis; d++) outer *= data.Shape[d];
        for (int d = axis + 1; d < data.Shape.Length; d++) inner *= data.Shape[d];
        return new GatherKernel(ctx.InputPtr(0), ctx.InputPtr(1), idx.Type == DataType.Int64, idx.ElementCount,
            ctx.OutputPtr(0), outer, data.Shape[axis], inner);
    }
}

public sealed unsafe class GatherKernel(byte* data, byte* indices, bool int64, long count, byte* dst, long outer, int axisLen, long blockBytes) : OpKernel
{
    public override string KernelName => "gather";

    public override void Execute(int frames)
    {
        byte* o = dst;
        for (long r = 0; r < outer; r++)
        {
            byte* src = data + r * axisLen * blockBytes;
            for (long j = 0; j < count; j++)
            {
                long k = int64 ? ((long*)indices)[j] : ((int*)indices)[j];
                if (k < 0) k += axisLen;
                if ((ulong)k < (ulong)axisLen) Buffer.MemoryCopy(src + k * blockBytes, o, blockBytes, blockBytes);
                else new Span<byte>(o, checked((int)blockBytes)).Clear();
                o += blockBytes;
            }
        }
    }
}
