using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Concat along <c>axis</c> (negative allowed from opset 11); any element type.</summary>
public sealed class ConcatOperator : IOperator
{
    public string OpType => "Concat";

    public void InferShapes(Node node, Graph graph)
    {
        var inputs = node.Inputs.Where(s => s.Length > 0).Select(s => graph[s]).ToArray();
        if (inputs.Length == 0) throw new ModelException($"{graph.Source}: {node.Describe()}: no inputs");
        var first = inputs[0];
        int rank = first.Shape.Length;
        int axis = ShapeArgs.Axis(node, graph, node.GetInt("axis", 1), rank);
        var shape = (int[])first.Shape.Clone();
        shape[axis] = 0;
        foreach (var t in inputs)
        {
            if (t.Type != first.Type) throw new ModelException($"{graph.Source}: {node.Describe()}: input '{t.Name}' is {t.Type.ShortName()}, expected {first.Type.ShortName()}");
            if (t.Shape.Length != rank || Enumerable.Range(0, rank).Any(d => d != axis && t.Shape[d] != first.Shape[d]))
                throw new ModelException($"{graph.Source}: {node.Describe()}: input '{t.Name}' {ShapeArgs.Fmt(t.Shape)} does not match {ShapeArgs.Fmt(first.Shape)} outside axis {axis}");
            shape[axis] += t.Shape[axis];
        }
        ShapeInference.SetOutput(graph, node, 0, first.Type, shape);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var output = ctx.Output(0);
        int rank = output.Shape.Length;
        int axis = ShapeArgs.Axis(node, ctx.Graph, node.GetInt("axis", 1), rank);
        long es = output.Type.SizeInBytes();
        long outer = 1, inner = es;
        for (int d = 0; d < axis; d++) outer *= output.Shape[d];
        for (int d = axis + 1; d < rank; d++) inner *= output.Shape[d];
        var idx = Enumerable.Range(0, node.Inputs.Count).Where(node.HasInput).ToArray();
        var src = idx.Select(i => (nint)ctx.InputPtr(i)).ToArray();
        var block = idx.Select(i => ctx.Input(i).Shape[axis] * inner).ToArray();
        long outerPerFrame = ctx.Graph.Streaming && axis > 0 && output.Shape[0] > 0 ? outer / output.Shape[0] : 0;
        return new ConcatKernel(src, block, ctx.OutputPtr(0), outer, outerPerFrame);
    }
}

/// <summary>For each outer index, copies each input's block (bytes) in turn.</summary>
public sealed unsafe class ConcatKernel(nint[] src, long[] blockBytes, byte* dst, long outer, long outerPerFrame) : OpKernel
{
    public override string KernelName => "concat";

    public override void Execute(int frames)
    {
        long rows = outerPerFrame > 0 ? Math.Min(outer, frames * outerPerFrame) : outer;
        byte* o = dst;
        for (long r = 0; r < rows; r++)
            for (int k = 0; k < src.Length; k++)
            {
                long n = blockBytes[k];
                Buffer.MemoryCopy((byte*)src[k] + r * n, o, n, n);
                o += n;
            }
    }
}
