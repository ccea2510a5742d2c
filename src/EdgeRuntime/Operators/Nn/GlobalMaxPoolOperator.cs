using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX GlobalMaxPool: maximum over all spatial positions of each (batch, channel) plane.</summary>
public sealed class GlobalMaxPoolOperator : IOperator
{
    public string OpType => "GlobalMaxPool";

    public void InferShapes(Node node, Graph graph) =>
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, GlobalPoolShape.Of(graph, node).Output);

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var (planes, size, _) = GlobalPoolShape.Of(ctx.Graph, node);
        return new GlobalPoolKernel(ctx.InF(0), ctx.OutF(0), planes, size, average: false);
    }
}
