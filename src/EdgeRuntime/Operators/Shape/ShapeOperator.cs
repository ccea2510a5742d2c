using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Shape: the input's dimensions [start, end) as an int64 constant (shapes are static).</summary>
public sealed class ShapeOperator : IOperator
{
    public string OpType => "Shape";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        int rank = x.Shape.Length;
        long start = node.GetInt("start", 0), end = node.GetInt("end", rank);
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = Math.Clamp(start, 0, rank);
        end = Math.Clamp(end, 0, rank);
        var dims = x.Shape.Skip((int)start).Take((int)Math.Max(0, end - start)).Select(d => (long)d).ToArray();
        var output = ShapeInference.SetOutput(graph, node, 0, DataType.Int64, [dims.Length]);
        output.Constant = Tensor.FromInt64s("", [dims.Length], dims).Constant;
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => NoOpKernel.Instance;
}
