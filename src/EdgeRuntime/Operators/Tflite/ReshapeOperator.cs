using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Core;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite RESHAPE: a view of the input (no copy). The new shape comes from the constant
/// second input, else the <c>new_shape</c> option, else the output tensor's declared shape; one
/// entry may be −1.</summary>
public sealed class ReshapeOperator : IOperator
{
    public string OpType => "tflite:RESHAPE";

    public void InferShapes(Node node, Graph graph)
    {
        var x = TfliteOp.In(graph, node, 0, "input");
        long[]? shape = null;
        if (node.HasInput(1) && graph[node.Inputs[1]].IsConstant) shape = graph[node.Inputs[1]].ConstantAsInt64();
        else if (node.GetInts("new_shape") is { Length: > 0 } ns) shape = ns;
        else if (graph.TryGet(node.Outputs[0], out var declared) && declared.Shape.Length > 0 && declared.ShapeKnown)
            shape = declared.Shape.Select(d => (long)d).ToArray();
        if (shape is null) throw TfliteOp.Error(graph, node, "no target shape (constant shape input, new_shape option or declared output shape)");
        int unknown = Array.FindIndex(shape, d => d == -1);
        if (shape.Count(d => d == -1) > 1 || shape.Any(d => d < -1 || d > int.MaxValue))
            throw TfliteOp.Error(graph, node, $"invalid target shape [{string.Join(",", shape)}]");
        long known = shape.Where(d => d != -1).Aggregate(1L, (a, d) => a * d);
        if (unknown >= 0)
        {
            if (known == 0 || x.ElementCount % known != 0)
                throw TfliteOp.Error(graph, node, $"cannot reshape [{string.Join(",", x.Shape)}] to [{string.Join(",", shape)}]");
            shape[unknown] = x.ElementCount / known;
        }
        else if (known != x.ElementCount)
            throw TfliteOp.Error(graph, node, $"cannot reshape [{string.Join(",", x.Shape)}] ({x.ElementCount} elements) to [{string.Join(",", shape)}]");
        var y = ShapeInference.SetOutput(graph, node, 0, x.Type, shape.Select(d => (int)d).ToArray());
        y.Quant ??= x.Quant;
    }

    public bool IsView(Node node, Graph graph) => true;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new CopyKernel(ctx);
}
