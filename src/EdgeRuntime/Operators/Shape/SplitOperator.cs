using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Split along <c>axis</c>: sizes from the <c>split</c> attribute (opset &lt; 13), the constant
/// <c>split</c> input (13+), or equal parts over the outputs (<c>num_outputs</c> in 18, the last part
/// smaller when the dimension does not divide).</summary>
public sealed class SplitOperator : IOperator
{
    public string OpType => "Split";

    private static (int Axis, long[] Sizes) Geometry(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        int axis = ShapeArgs.Axis(node, graph, node.GetInt("axis", 0), x.Shape.Length);
        long dim = x.Shape[axis];
        long[]? sizes = ShapeArgs.AttrOrInput(node, graph, "split", 1, "split");
        int outputs = node.Outputs.Count;
        if (sizes is null)
        {
            int parts = node.Has("num_outputs") ? (int)node.GetInt("num_outputs", outputs) : outputs;
            if (parts != outputs || parts <= 0) throw new ModelException($"{graph.Source}: {node.Describe()}: num_outputs {parts} but {outputs} outputs");
            long chunk = node.Has("num_outputs") ? (dim + parts - 1) / parts : dim / parts;
            if (!node.Has("num_outputs") && dim % parts != 0)
                throw new ModelException($"{graph.Source}: {node.Describe()}: axis {axis} of size {dim} does not split into {parts} equal parts");
            sizes = new long[parts];
            long left = dim;
            for (int i = 0; i < parts; i++) { sizes[i] = Math.Min(chunk, left); left -= sizes[i]; }
        }
        if (sizes.Length != outputs || sizes.Any(s => s < 0) || sizes.Sum() != dim)
            throw new ModelException($"{graph.Source}: {node.Describe()}: split [{string.Join(",", sizes)}] does not cover axis {axis} of size {dim} with {outputs} outputs");
        return (axis, sizes);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        var (axis, sizes) = Geometry(node, graph);
        for (int i = 0; i < sizes.Length; i++)
        {
            if (node.Outputs[i].Length == 0) continue;
            var shape = (int[])x.Shape.Clone();
            shape[axis] = (int)sizes[i];
            ShapeInference.SetOutput(graph, node, i, x.Type, shape, x.Quant);
        }
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var x = ctx.Input(0);
        var (axis, sizes) = Geometry(node, ctx.Graph);
        long inner = x.Type.SizeInBytes(), outer = 1;
        for (int d = 0; d < axis; d++) outer *= x.Shape[d];
        for (int d = axis + 1; d < x.Shape.Length; d++) inner *= x.Shape[d];
        var dst = new nint[sizes.Length];
        var block = new long[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            dst[i] = node.Outputs[i].Length > 0 ? (nint)ctx.OutputPtr(i) : 0;
            block[i] = sizes[i] * inner;
        }
        return new SplitKernel(ctx.InputPtr(0), dst, block, outer);
    }
}

/// <summary>For each outer index, copies consecutive input blocks (bytes) to each output.</summary>
public sealed unsafe class SplitKernel(byte* src, nint[] dst, long[] blockBytes, long outer) : OpKernel
{
    public override string KernelName => "split";

    public override void Execute(int frames)
    {
        byte* s = src;
        for (long r = 0; r < outer; r++)
            for (int k = 0; k < dst.Length; k++)
            {
                long n = blockBytes[k];
                if (dst[k] != 0) Buffer.MemoryCopy(s, (byte*)dst[k] + r * n, n, n);
                s += n;
            }
    }
}
