using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX QLinearConv: y = saturate(round_half_even((acc + B) · (x_scale·w_scale[m]/y_scale)) + y_zero_point)
/// with acc the exact int32 convolution of the zero-point-shifted inputs (NCHW, 1-D/2-D, groups);
/// weight scale and zero point per tensor or per output channel. A fused Relu/Clip (QDQ folding) narrows the
/// output clamp. Runs on the kernel library (<see cref="Int8ConvCore"/> + RequantizeFloat); the scalar
/// reference kernel stays as the specification the fast one is tested against.</summary>
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
        QuantizedKernels.CheckFused(graph, node);
        ShapeInference.SetOutput(graph, node, 0, yzp.Type, c.OutShape);
    }

    public MemoryNeeds Needs(Node node, Graph graph) =>
        new(Int8ConvCore.ScratchBytes(IntegerConv.Of(graph, node, graph[node.Inputs[0]], graph[node.Inputs[3]])), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        QuantizedKernels.ForceReference ? new Reference(node, ctx) : new Fast(node, ctx);

    /// <summary>Int8ConvCore with the float-scaled requantization as its output stage.</summary>
    private sealed unsafe class Fast : OpKernel
    {
        private readonly Node _node;
        private readonly Int8ConvCore _core;
        private readonly Int8ConvCore.RequantOutput _out;
        private readonly float* _xs, _ws, _ys, _mult;
        private readonly byte* _yzp;
        private readonly int _m;
        private readonly bool _wsPerChannel;
        private readonly DataType _yt;
        private readonly PinnedBuffers _keep = new();

        public Fast(Node node, KernelContext ctx)
        {
            _node = node;
            var c = IntegerConv.Of(ctx.Graph, node, ctx.Input(0), ctx.Input(3));
            _core = new Int8ConvCore(c, ctx, 0, 3, 2, 5, 8);
            _xs = ctx.InF(1); _ws = ctx.InF(4); _ys = ctx.InF(6); _yzp = ctx.InputPtr(7);
            _yt = ctx.Output(0).Type;
            _m = c.M;
            _wsPerChannel = ctx.Input(4).ElementCount > 1;
            _mult = _keep.Floats(c.M);
            _out = new Int8ConvCore.RequantOutput(ctx.OutputPtr(0), _mult, _wsPerChannel, QuantizedKernels.Path);
        }

        public override string KernelName => $"qlinearconv.i8.gemm.{Kernels.Isa.KernelPaths.Name(QuantizedKernels.Path)}";

        public override void Execute(int frames)
        {
            // Scales and zero points may be run-time inputs: the per-channel multipliers are formed per run,
            // in float32 as the reference does.
            for (int m = 0; m < (_wsPerChannel ? _m : 1); m++) _mult[m] = _xs[0] * _ws[m] / _ys[0];
            _out.ZeroPoint = QuantElements.Load(_yzp, 0, _yt);
            (_out.Min, _out.Max) = QuantizedKernels.Clamp(_node, _ys[0], _out.ZeroPoint, _yt);
            _core.Run(_out);
        }
    }

    private sealed unsafe class Reference : OpKernel
    {
        private readonly IntegerConv _c;
        private readonly byte* _x, _xzp, _w, _wzp, _yzp, _y;
        private readonly float* _xs, _ws, _ys;
        private readonly int* _bias;
        private readonly DataType _xt, _wt, _yt;
        private readonly bool _wzpPerChannel, _wsPerChannel;

        private readonly Node _node;

        public Reference(Node node, KernelContext ctx)
        {
            _node = node;
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
            var (lo, hi) = QuantizedKernels.Clamp(_node, _ys[0], yzp, _yt);
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
                            QuantElements.Store(_y, o++, _yt, Math.Round(acc * (double)mult, MidpointRounding.ToEven) + yzp, lo, hi);
                        }
                }
        }
    }
}
