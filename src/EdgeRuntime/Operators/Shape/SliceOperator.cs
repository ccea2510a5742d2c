using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Slice: starts/ends/axes as attributes (opset &lt; 10) or constant inputs with optional
/// axes and steps (10+). Negative indices count from the end; out-of-range values are clamped as
/// ONNX specifies (for negative steps to [-1, dim-1]).</summary>
public sealed class SliceOperator : IOperator
{
    public string OpType => "Slice";

    /// <summary>Per input dim: first index and step; and the output shape.</summary>
    private static (long[] Start, long[] Step, int[] Shape) Geometry(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        int rank = x.Shape.Length;
        long[] starts, ends;
        long[]? axes, steps = null;
        if (node.Has("starts"))
        {
            starts = node.GetInts("starts")!;
            ends = node.GetInts("ends") ?? throw new ModelException($"{graph.Source}: {node.Describe()}: attribute 'ends' is required");
            axes = node.GetInts("axes");
        }
        else
        {
            if (!node.HasInput(1) || !node.HasInput(2)) throw new ModelException($"{graph.Source}: {node.Describe()}: inputs 'starts' and 'ends' are required");
            starts = ShapeArgs.ConstantInts(node, graph, 1, "starts");
            ends = ShapeArgs.ConstantInts(node, graph, 2, "ends");
            axes = node.HasInput(3) ? ShapeArgs.ConstantInts(node, graph, 3, "axes") : null;
            steps = node.HasInput(4) ? ShapeArgs.ConstantInts(node, graph, 4, "steps") : null;
        }
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw new ModelException($"{graph.Source}: {node.Describe()}: starts, ends, axes and steps must have the same length");
        var start = new long[rank];
        var step = Enumerable.Repeat(1L, rank).ToArray();
        var shape = (int[])x.Shape.Clone();
        var seen = new bool[rank];
        for (int i = 0; i < starts.Length; i++)
        {
            int d = ShapeArgs.Axis(node, graph, axes[i], rank);
            if (seen[d]) throw new ModelException($"{graph.Source}: {node.Describe()}: axis {axes[i]} repeated");
            seen[d] = true;
            long dim = x.Shape[d], st = steps[i];
            if (st == 0) throw new ModelException($"{graph.Source}: {node.Describe()}: step 0 on axis {axes[i]}");
            long s = starts[i], e = ends[i];
            if (s < 0) s += dim;
            if (e < 0) e += dim;
            long count;
            if (st > 0)
            {
                s = Math.Clamp(s, 0, dim);
                e = Math.Clamp(e, 0, dim);
                count = e > s ? (e - s + st - 1) / st : 0;
            }
            else
            {
                s = Math.Clamp(s, -1, dim - 1);
                e = Math.Clamp(e, -1, dim - 1);
                count = s > e ? (s - e + (-st) - 1) / (-st) : 0;
            }
            start[d] = count > 0 ? s : 0;
            step[d] = st;
            shape[d] = checked((int)count);
        }
        return (start, step, shape);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        ShapeInference.SetOutput(graph, node, 0, x.Type, Geometry(node, graph).Shape, x.Quant);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var x = ctx.Input(0);
        var (start, step, shape) = Geometry(node, ctx.Graph);
        var inStrides = ShapeArgs.Strides(x.Shape);
        long baseOffset = 0;
        var strides = new long[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            baseOffset += start[d] * inStrides[d];
            strides[d] = step[d] * inStrides[d];
        }
        return StridedCopyKernel<byte>.ForElementSize("slice", x.Type.SizeInBytes(), ctx.InputPtr(0), ctx.OutputPtr(0), shape, strides, baseOffset);
    }
}
