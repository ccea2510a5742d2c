using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Softmax and LogSoftmax. Opset &lt; 13: the input is coerced to 2-D at <c>axis</c>
/// (default 1) and normalized over the flattened trailing block; opset 13+: normalized along
/// <c>axis</c> (default -1) alone.</summary>
public sealed class SoftmaxOperator(string opType, bool log) : IOperator
{
    public string OpType => opType;

    /// <summary>(outer, axis length, inner) for the node's input shape and the graph's opset.</summary>
    public static (long Outer, int Len, long Inner) Geometry(Node node, Graph graph)
    {
        var shape = graph[node.Inputs[0]].Shape;
        int rank = shape.Length;
        bool legacy = graph.Opset < 13;
        int axis = (int)node.GetInt("axis", legacy ? 1 : -1);
        if (axis < 0) axis += rank;
        if (rank == 0 && axis == 0) return (1, 1, 1);
        if (axis < 0 || axis >= Math.Max(rank, 1) + (legacy ? 1 : 0) || (!legacy && axis >= rank))
            throw new ModelException($"{graph.Source}: {node.Describe()}: axis {node.GetInt("axis", 0)} is out of range for rank {rank}");
        long outer = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        if (legacy)
        {
            long len = 1;
            for (int d = axis; d < rank; d++) len *= shape[d];
            return (outer, checked((int)len), 1);
        }
        long inner = 1;
        for (int d = axis + 1; d < rank; d++) inner *= shape[d];
        return (outer, shape[axis], inner);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (x.Type != DataType.Float32) throw ElementTypes.Unsupported(graph, node, x.Type);
        Geometry(node, graph);
        ShapeInference.SetOutput(graph, node, 0, x.Type, (int[])x.Shape.Clone());
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var (outer, len, inner) = Geometry(node, ctx.Graph);
        var shape = ctx.Input(0).Shape;
        // Streaming: only when the normalized block lies inside one frame can frames limit the rows.
        long outerPerFrame = ctx.Graph.Streaming && shape.Length > 1 && shape[0] > 0 && outer % shape[0] == 0 && outer >= shape[0]
            ? outer / shape[0] : 0;
        return new SoftmaxKernel(ctx.InF(0), ctx.OutF(0), outer, len, inner, log, outerPerFrame);
    }
}

/// <summary>Numerically stable (max-subtracted) softmax / log-softmax over strided rows; y may alias x.</summary>
public sealed unsafe class SoftmaxKernel(float* x, float* y, long outer, int len, long inner, bool log, long outerPerFrame) : OpKernel
{
    public override string KernelName => log ? "logsoftmax.f32" : "softmax.f32";

    public override void Execute(int frames)
    {
        long rows = outerPerFrame > 0 ? Math.Min(outer, frames * outerPerFrame) : outer;
        for (long o = 0; o < rows; o++)
            for (long j = 0; j < inner; j++)
            {
                long b = o * len * inner + j;
                Row(x + b, y + b, len, inner, log);
            }
    }

    public static void Row(float* x, float* y, int len, long stride, bool log)
    {
        if (len == 0) return;
        if (stride == 1) { ContiguousRow(x, y, len, log); return; }
        float max = float.NegativeInfinity;
        for (int k = 0; k < len; k++) max = MathF.Max(max, x[k * stride]);
        double sum = 0;
        if (log)
        {
            for (int k = 0; k < len; k++) sum += MathF.Exp(x[k * stride] - max);
            float ls = (float)Math.Log(sum);
            for (int k = 0; k < len; k++) y[k * stride] = x[k * stride] - max - ls;
        }
        else
        {
            for (int k = 0; k < len; k++)
            {
                float e = MathF.Exp(x[k * stride] - max);
                y[k * stride] = e;
                sum += e;
            }
            float inv = (float)(1.0 / sum);
            for (int k = 0; k < len; k++) y[k * stride] *= inv;
        }
    }

    /// <summary>Contiguous row: vector max, vector exp (<see cref="ActivationsF32"/>), vector sums.</summary>
    public static void ContiguousRow(float* x, float* y, int len, bool log)
    {
        int i = 0;
        float max = float.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && len >= 8)
        {
            var vm = Vector256.Create(float.NegativeInfinity);
            for (; i <= len - 8; i += 8) vm = Vector256.Max(vm, Vector256.Load(x + i));
            for (int k = 0; k < 8; k++) max = MathF.Max(max, vm.GetElement(k));
        }
        for (; i < len; i++) max = MathF.Max(max, x[i]);

        float sum = 0;
        i = 0;
        if (Vector256.IsHardwareAccelerated && len >= 8)
        {
            var vmax = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (; i <= len - 8; i += 8)
            {
                var e = ActivationsF32.Exp(Vector256.Load(x + i) - vmax);
                if (!log) e.Store(y + i);
                acc += e;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < len; i++)
        {
            float e = ActivationsF32.Exp(x[i] - max);
            if (!log) y[i] = e;
            sum += e;
        }

        i = 0;
        if (log)
        {
            float shift = max + MathF.Log(sum);
            if (Vector256.IsHardwareAccelerated)
            {
                var vs = Vector256.Create(shift);
                for (; i <= len - 8; i += 8) (Vector256.Load(x + i) - vs).Store(y + i);
            }
            for (; i < len; i++) y[i] = x[i] - shift;
        }
        else
        {
            float inv = 1f / sum;
            if (Vector256.IsHardwareAccelerated)
            {
                var vi = Vector256.Create(inv);
                for (; i <= len - 8; i += 8) (Vector256.Load(y + i) * vi).Store(y + i);
            }
            for (; i < len; i++) y[i] *= inv;
        }
    }
}
