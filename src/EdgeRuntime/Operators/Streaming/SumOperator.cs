using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:Sum</c>: Y = A + B for two [T, C] frame tensors of the same shape (residual
/// connections). Minimal stand-in until the ONNX element-wise Add lands in main.</summary>
public sealed class SumOperator : IOperator
{
    public string OpType => "edge:Sum";

    public void InferShapes(Node node, Graph graph)
    {
        FrameShape.Channels(graph, node, 0);
        var a = graph[node.Inputs[0]]; var b = graph[node.Inputs[1]];
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ModelException($"{graph.Source}: {node.Describe()}: '{a.Name}' [{string.Join(",", a.Shape)}] and '{b.Name}' [{string.Join(",", b.Shape)}] differ");
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])a.Shape.Clone());
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly KernelContext _ctx;
        private readonly float* _a, _b, _y;
        private readonly int _c;

        public Kernel(KernelContext ctx)
        {
            _ctx = ctx; _a = ctx.InF(0); _b = ctx.InF(1); _y = ctx.OutF(0); _c = ctx.Input(0).Shape[1];
        }

        public override void Execute(int frames)
        {
            long n = (long)FrameShape.Rows(_ctx, frames) * _c;
            for (long i = 0; i < n; i++) _y[i] = _a[i] + _b[i];
        }
    }
}
