using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX ConvInteger: int32 y = conv(x − x_zero_point, w − w_zero_point) (NCHW, 1-D/2-D);
/// w_zero_point scalar or per output channel. Runs on <see cref="Int8ConvCore"/>; the scalar reference kernel
/// is kept as its specification.</summary>
public sealed class ConvIntegerOperator : IOperator
{
    public string OpType => "ConvInteger";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        QuantElements.Require(graph, node, x, "x", DataType.UInt8, DataType.Int8);
        QuantElements.Require(graph, node, w, "w", DataType.UInt8, DataType.Int8);
        var c = IntegerConv.Of(graph, node, x, w);
        if (node.HasInput(2)) QuantElements.ParamCount(graph, node, graph[node.Inputs[2]], "x_zero_point", 1);
        if (node.HasInput(3)) QuantElements.ParamCount(graph, node, graph[node.Inputs[3]], "w_zero_point", c.M);
        ShapeInference.SetOutput(graph, node, 0, DataType.Int32, c.OutShape);
    }

    public MemoryNeeds Needs(Node node, Graph graph) =>
        new(Int8ConvCore.ScratchBytes(IntegerConv.Of(graph, node, graph[node.Inputs[0]], graph[node.Inputs[1]])), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        QuantizedKernels.ForceReference ? new Reference(node, ctx) : new Fast(node, ctx);

    private sealed unsafe class Fast(Node node, KernelContext ctx) : OpKernel
    {
        private readonly Int8ConvCore _core = new(IntegerConv.Of(ctx.Graph, node, ctx.Input(0), ctx.Input(1)), ctx, 0, 1, 2, 3, -1);
        private readonly Int8ConvCore.Int32Output _out = new((int*)ctx.OutputPtr(0));

        public override string KernelName => $"convinteger.i8.gemm.{Kernels.Isa.KernelPaths.Name(QuantizedKernels.Path)}";

        public override void Execute(int frames) => _core.Run(_out);
    }

    private sealed unsafe class Reference : OpKernel
    {
        private readonly IntegerConv _c;
        private readonly byte* _x, _w, _xzp, _wzp;
        private readonly int* _y;
        private readonly DataType _xt, _wt;
        private readonly bool _wPerChannel;

        public Reference(Node node, KernelContext ctx)
        {
            _c = IntegerConv.Of(ctx.Graph, node, ctx.Input(0), ctx.Input(1));
            _x = ctx.InputPtr(0); _w = ctx.InputPtr(1); _xzp = ctx.InputPtr(2); _wzp = ctx.InputPtr(3);
            _y = (int*)ctx.OutputPtr(0);
            _xt = ctx.Input(0).Type; _wt = ctx.Input(1).Type;
            _wPerChannel = ctx.HasInput(3) && ctx.Input(3).ElementCount > 1;
        }

        public override string KernelName => "convinteger.ref";

        public override void Execute(int frames)
        {
            var c = _c;
            int xzp = _xzp == null ? 0 : QuantElements.Load(_xzp, 0, _xt);
            long o = 0;
            for (int b = 0; b < c.N; b++)
                for (int m = 0; m < c.M; m++)
                {
                    int wzp = _wzp == null ? 0 : QuantElements.Load(_wzp, _wPerChannel ? m : 0, _wt);
                    for (int oy = 0; oy < c.OH; oy++)
                        for (int ox = 0; ox < c.OW; ox++)
                            _y[o++] = c.Acc(_x, _xt, _w, _wt, b, m, oy, ox, xzp, wzp);
                }
        }
    }
}
