using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX QLinearConv: y = saturate(round_half_even((acc + B) · (x_scale·w_scale[m]/y_scale)) + y_zero_point)
/// with acc the exact int32 convolution of the zero-point-shifted inputs (NCHW, 1-D/2-D, groups);
/// weight scale and zero point per tensor or per output channel.</summary>
public sealed class QLinearConvOperator : IOperator
{
    public string OpType => "QLinearConv";

    public void InferShapes(Node node, Graph graph)
    {
        for (int i = 0; i < 8; i++) if (!node.HasInput(i)) throw QuantElements.Error(graph, node, $"missing input {i}");
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[3]];
        QuantElements.Require(graph, node, x, "x", DataType.UInt8, DataType.Int8);
        QuantElements.Require(graph, node, w, "w", DataType.UInt8, DataType.Int8);
        var c = IntegerConv.Of(graph, node, x, w);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[1]], "x_scale", 1);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[2]], "x_zero_point", 1);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[4]], "w_scale", c.M);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[5]], "w_zero_point", c.M);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[6]], "y_scale", 1);
        var yzp = graph[node.Inputs[7]];
        QuantElements.Require(graph, node, yzp, "y_zero_point", DataType.UInt8, DataType.Int8);
        if (node.HasInput(8))
        {
            var b = graph[node.Inputs[8]];
            QuantElements.Require(graph, node, b, "B", DataType.Int32);
            if (b.ElementCount != c.M) throw QuantElements.Error(graph, node, $"B has {b.ElementCount} values, expected {c.M}");
        }
        ShapeInference.SetOutput(graph, node, 0, yzp.Type, c.OutShape);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly IntegerConv _c;
        private readonly byte* _x, _xzp, _w, _wzp, _yzp, _y;
        private readonly float* _xs, _ws, _ys;
        private readonly int* _bias;
        private readonly DataType _xt, _wt, _yt;
        private readonly bool _wzpPerChannel, _wsPerChannel;

        public Kernel(Node node, KernelContext ctx)
        {
            _c = IntegerConv.Of(ctx.Graph, node, ctx.Input(0), ctx.Input(3));
            _x = ctx.InputPtr(0); _xs = ctx.InF(1); _xzp = ctx.InputPtr(2);
            _w = ctx.InputPtr(3); _ws = ctx.InF(4); _wzp = ctx.InputPtr(5);
            _ys = ctx.InF(6); _yzp = ctx.InputPtr(7); _y = ctx.OutputPtr(0);
            _bias = ctx.HasInput(8) ? (int*)ctx.InputPtr(8) : null;
            _xt = ctx.Input(0).Type; _wt = ctx.Input(3).Type; _yt = ctx.Output(0).Type;
            _wzpPerChannel = ctx.Input(5).ElementCount > 1;
            _wsPerChannel = ctx.Input(4).ElementCount > 1;
        }

        public override string KernelName => "qlinearconv.ref";

        public override void Execute(int frames)
        {
            var c = _c;
            int xzp = QuantElements.Load(_xzp, 0, _xt);
            int yzp = QuantElements.Load(_yzp, 0, _yt);
            long o = 0;
            for (int b = 0; b < c.N; b++)
                for (int m = 0; m < c.M; m++)
                {
                    int wzp = QuantElements.Load(_wzp, _wzpPerChannel ? m : 0, _wt);
                    float mult = _xs[0] * _ws[_wsPerChannel ? m : 0] / _ys[0];
                    int bias = _bias == null ? 0 : _bias[m];
                    for (int oy = 0; oy < c.OH; oy++)
                        for (int ox = 0; ox < c.OW; ox++)
                        {
                            int acc = c.Acc(_x, _xt, _w, _wt, b, m, oy, ox, xzp, wzp) + bias;
                            QuantElements.Store(_y, o++, _yt, Math.Round(acc * (double)mult, MidpointRounding.ToEven) + yzp);
                        }
                }
        }
    }
}
