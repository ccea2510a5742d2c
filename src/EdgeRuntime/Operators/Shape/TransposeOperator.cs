using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Transpose by <c>perm</c> (default: reverse the dimensions).</summary>
public sealed class TransposeOperator : IOperator
{
    public string OpType => "Transpose";

    private static int[] Perm(Node node, Graph graph, int rank)
    {
        var p = node.GetInts("perm");
        if (p is null) return Enumerable.Range(0, rank).Reverse().ToArray();
        if (p.Length != rank || p.Distinct().Count() != rank || p.Any(v => v < 0 || v >= rank))
            throw new ModelException($"{graph.Source}: {node.Describe()}: perm [{string.Join(",", p)}] is not a permutation of {rank} axes");
        return p.Select(v => (int)v).ToArray();
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        var perm = Perm(node, graph, x.Shape.Length);
        ShapeInference.SetOutput(graph, node, 0, x.Type, perm.Select(p => x.Shape[p]).ToArray(), x.Quant);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var x = ctx.Input(0);
        var perm = Perm(node, ctx.Graph, x.Shape.Length);
        var inStrides = ShapeArgs.Strides(x.Shape);
        var strides = perm.Select(p => (long)inStrides[p]).ToArray();
        return StridedCopyKernel<byte>.ForElementSize("transpose", x.Type.SizeInBytes(), ctx.InputPtr(0), ctx.OutputPtr(0),
            ctx.Output(0).Shape, strides, 0);
    }
}
