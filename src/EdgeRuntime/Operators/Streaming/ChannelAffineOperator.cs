using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:ChannelAffine</c>: Y[t, c] = X[t, c]·scale[c % S] + shift[c % S] (inference-time
/// batch normalization on [T, C] frames; S = C for 1-D, S = filters for 2-D frames laid out feature-major).</summary>
public sealed class ChannelAffineOperator : IOperator
{
    public string OpType => "edge:ChannelAffine";

    public void InferShapes(Node node, Graph graph)
    {
        int c = FrameShape.Channels(graph, node, 0);
        long s = graph[node.Inputs[1]].ElementCount;
        if (s <= 0 || c % s != 0 || graph[node.Inputs[2]].ElementCount != s)
            throw new ModelException($"{graph.Source}: {node.Describe()}: scale/shift must have the same count dividing {c} channels, got {s} and {graph[node.Inputs[2]].ElementCount}");
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])graph[node.Inputs[0]].Shape.Clone());
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly KernelContext _ctx;
        private readonly float* _x, _y, _scale, _shift;
        private readonly int _c, _s;

        public Kernel(KernelContext ctx)
        {
            _ctx = ctx;
            _x = ctx.InF(0); _y = ctx.OutF(0); _scale = ctx.InF(1); _shift = ctx.InF(2);
            _c = ctx.Input(0).Shape[1]; _s = (int)ctx.Input(1).ElementCount;
        }

        public override void Execute(int frames)
        {
            int rows = FrameShape.Rows(_ctx, frames);
            for (int r = 0; r < rows; r++)
            {
                float* x = _x + (long)r * _c, y = _y + (long)r * _c;
                for (int c = 0, j = 0; c < _c; c++, j = j + 1 == _s ? 0 : j + 1) y[c] = x[c] * _scale[j] + _shift[j];
            }
        }
    }
}
