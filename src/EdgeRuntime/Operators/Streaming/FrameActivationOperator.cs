using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:FrameActivation</c>: element-wise activation over [T, C] frames (attribute <c>kind</c>;
/// softmax runs over C; prelu reads slopes [C] or [1] from input 1; elu uses <c>alpha</c>).
/// Minimal stand-in until the ONNX element-wise operators land in main.</summary>
public sealed class FrameActivationOperator : IOperator
{
    public string OpType => "edge:FrameActivation";

    public void InferShapes(Node node, Graph graph)
    {
        int c = FrameShape.Channels(graph, node, 0);
        var kind = FrameActivation.Parse(node.GetString("kind", ""), $"{graph.Source}: {node.Describe()}");
        if (kind == FrameActivationKind.PRelu)
        {
            if (!node.HasInput(1)) throw new ModelException($"{graph.Source}: {node.Describe()}: prelu needs a slope input");
            long n = graph[node.Inputs[1]].ElementCount;
            if (n != 1 && n != c) throw new ModelException($"{graph.Source}: {node.Describe()}: prelu slope '{node.Inputs[1]}' must have 1 or {c} entries, got {n}");
        }
        var x = graph[node.Inputs[0]];
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])x.Shape.Clone());
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly KernelContext _ctx;
        private readonly float* _x, _y, _slope;
        private readonly int _c, _slopeCount;
        private readonly FrameActivationKind _kind;
        private readonly float _alpha;

        public Kernel(KernelContext ctx)
        {
            _ctx = ctx;
            _x = ctx.InF(0); _y = ctx.OutF(0);
            _c = ctx.Input(0).Shape[1];
            _kind = FrameActivation.Parse(ctx.Node.GetString("kind", ""), ctx.Node.Describe());
            _alpha = ctx.Node.GetFloat("alpha", 1f);
            if (_kind == FrameActivationKind.PRelu) { _slope = ctx.InF(1); _slopeCount = (int)ctx.Input(1).ElementCount; }
        }

        public override string KernelName => "act." + FrameActivation.Name(_kind);

        public override void Execute(int frames)
        {
            int rows = FrameShape.Rows(_ctx, frames);
            long bytes = (long)rows * _c * 4;
            if (_x != _y) Buffer.MemoryCopy(_x, _y, bytes, bytes);
            FrameActivation.Apply(_kind, _y, rows, _c, _alpha, _slope, _slopeCount);
        }
    }
}
