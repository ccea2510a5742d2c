using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Operators.Shape;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>ReduceMean over <c>axes</c> (attribute before opset 18, constant input from 18; none =
/// all axes unless <c>noop_with_empty_axes</c>), <c>keepdims</c> default 1. Sums in double.</summary>
public sealed class ReduceMeanOperator : IOperator
{
    public string OpType => "ReduceMean";

    /// <summary>Per input dim: reduced or not.</summary>
    private static bool[] Reduced(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        int rank = x.Shape.Length;
        long[]? axes = node.GetInts("axes");
        if (node.HasInput(1)) axes = ShapeArgs.ConstantInts(node, graph, 1, "axes");
        var reduced = new bool[rank];
        if (axes is null || axes.Length == 0)
        {
            if (node.GetInt("noop_with_empty_axes", 0) == 0) Array.Fill(reduced, true);
            return reduced;
        }
        foreach (var a in axes) reduced[ShapeArgs.Axis(node, graph, a, rank)] = true;
        return reduced;
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (x.Type != DataType.Float32) throw ElementTypes.Unsupported(graph, node, x.Type);
        var reduced = Reduced(node, graph);
        bool keep = node.GetInt("keepdims", 1) != 0;
        var shape = new List<int>();
        for (int d = 0; d < reduced.Length; d++)
            if (!reduced[d]) shape.Add(x.Shape[d]);
            else if (keep) shape.Add(1);
        ShapeInference.SetOutput(graph, node, 0, x.Type, shape.ToArray());
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public MemoryNeeds Needs(Node node, Graph graph) => new(graph[node.Outputs[0]].ElementCount * sizeof(double), 0);

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var x = ctx.Input(0);
        var reduced = Reduced(node, ctx.Graph);
        int rank = x.Shape.Length;
        var outStride = new long[rank];
        long acc = 1, count = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            if (reduced[d]) { outStride[d] = 0; count *= x.Shape[d]; }
            else { outStride[d] = acc; acc *= x.Shape[d]; }
        }
        return new ReduceMeanKernel(ctx.InF(0), ctx.OutF(0), (double*)ctx.Scratch, x.Shape, outStride,
            x.ElementCount, ctx.Output(0).ElementCount, count);
    }
}

public sealed unsafe class ReduceMeanKernel(float* x, float* y, double* sum, int[] dims, long[] outStride, long inCount, long outCount, long reduceCount) : OpKernel
{
    private readonly int[] _counter = new int[dims.Length];

    public override string KernelName => "reducemean.f32";

    public override void Execute(int frames)
    {
        for (long k = 0; k < outCount; k++) sum[k] = 0;
        var c = _counter;
        Array.Clear(c);
        long o = 0;
        int last = dims.Length - 1;
        for (long i = 0; i < inCount; i++)
        {
            sum[o] += x[i];
            for (int d = last; d >= 0; d--)
            {
                o += outStride[d];
                if (++c[d] < dims[d]) break;
                o -= outStride[d] * dims[d];
                c[d] = 0;
            }
        }
        double inv = reduceCount > 0 ? 1.0 / reduceCount : double.NaN;
        for (long k = 0; k < outCount; k++) y[k] = (float)(sum[k] * inv);
    }
}
