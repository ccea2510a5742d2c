using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Core;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Base of operators whose output is input 0's bytes under another shape (Reshape, Flatten,
/// Squeeze, Unsqueeze): planned as a view, no copy unless the planner had to separate the buffers.</summary>
public abstract class ViewOperator : IOperator
{
    public abstract string OpType { get; }

    protected abstract int[] OutputShape(Node node, Graph graph, int[] input);

    public void InferShapes(Node node, Graph graph)
    {
        if (!node.HasInput(0)) throw new ModelException($"{graph.Source}: {node.Describe()}: missing data input");
        var x = graph[node.Inputs[0]];
        var shape = OutputShape(node, graph, x.Shape);
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != x.ElementCount)
            throw new ModelException($"{graph.Source}: {node.Describe()}: cannot view {ShapeArgs.Fmt(x.Shape)} ({x.ElementCount} elements) as {ShapeArgs.Fmt(shape)} ({count} elements)");
        ShapeInference.SetOutput(graph, node, 0, x.Type, shape, x.Quant);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public bool IsView(Node node, Graph graph) => true;

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        ConstantEvaluator.OutputsConstant(node, ctx.Graph) ? NoOpKernel.Instance : new CopyKernel(ctx);
}
