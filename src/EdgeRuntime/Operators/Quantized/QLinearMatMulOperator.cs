using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX QLinearMatMul: y = saturate(round_half_even(acc · (a_scale·b_scale/y_scale)) + y_zero_point)
/// with acc the exact int32 product of the zero-point-shifted inputs; the multiplier is formed in
/// float32 and applied in double, as the ONNX reference does. b scale/zero point may be per column; a zero
/// point may be per row. A fused Relu/Clip (QDQ folding) narrows the output clamp. Runs on
/// <see cref="Int8MatMulCore"/> + RequantizeFloat; the scalar reference kernel is kept as its specification.</summary>
public sealed class QLinearMatMulOperator : IOperator
{
    public string OpType => "QLinearMatMul";

    public void InferShapes(Node node, Graph graph)
    {
        for (int i = 0; i < 8; i++) if (!node.HasInput(i)) throw QuantElements.Error(graph, node, $"missing input {i}");
        var a = graph[node.Inputs[0]];
        var b = graph[node.Inputs[3]];
        QuantElements.Require(graph, node, a, "a", DataType.UInt8, DataType.Int8);
        QuantElements.Require(graph, node, b, "b", DataType.UInt8, DataType.Int8);
        var mm = IntegerMatMul.Of(graph, node, a, b);
        QuantElements.Require(graph, node, graph[node.Inputs[1]], "a_scale", DataType.Float32);
        QuantElements.Require(graph, node, graph[node.Inputs[4]], "b_scale", DataType.Float32);
        QuantElements.Require(graph, node, graph[node.Inputs[6]], "y_scale", DataType.Float32);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[1]], "a_scale", 1);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[2]], "a_zero_point", mm.M);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[4]], "b_scale", mm.N);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[5]], "b_zero_point", mm.N);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[6]], "y_scale", 1);
        var yzp = graph[node.Inputs[7]];
        QuantElements.Require(graph, node, yzp, "y_zero_point", DataType.UInt8, DataType.Int8);
        QuantElements.ParamCount(graph, node, yzp, "y_zero_point", 1);
        QuantizedKernels.CheckFused(graph, node);
        ShapeInference.SetOutput(graph, node, 0, yzp.Type, mm.OutShape);
    }

    internal static Int8MatMulCore.Shape CoreShape(Graph g, Node n, Tensor a, Tensor b)
    {
        var mm = IntegerMatMul.Of(g, n, a, b);
        return new(mm.Batches, mm.M, mm.K, mm.N, mm.SharedB, false, false);
    }

    public MemoryNeeds Needs(Node node, Graph graph) =>
        new(Int8MatMulCore.ScratchBytes(CoreShape(graph, node, graph[node.Inputs[0]], graph[node.Inputs[3]]), graph[node.Inputs[0]].Type), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        QuantizedKernels.ForceReference ? new Reference(node, ctx) : new Fast(node, ctx);

    private sealed unsafe class Fast : OpKernel
    {
        private readonly Node _node;
        private readonly Int8MatMulCore _core;
        private readonly Int8MatMulCore.RequantOutput _out;
        private readonly float* _as, _bs, _ys, _mult;
        private readonly byte* _yzp;
        private readonly int _n;
        private readonly bool _perColumn;
        private readonly DataType _yt;
        private readonly PinnedBuffers _keep = new();

        public Fast(Node node, KernelContext ctx)
        {
            _node = node;
            var s = CoreShape(ctx.Graph, node, ctx.Input(0), ctx.Input(3));
            _core = new Int8MatMulCore(s, ctx, 0, 2, 3, 5, -1, directInt32: false);
            _as = ctx.InF(1); _bs = ctx.InF(4); _ys = ctx.InF(6); _yzp = ctx.InputPtr(7);
            _yt = ctx.Output(0).Type;
            _n = s.N;
            _perColumn = ctx.Input(4).ElementCount > 1;
            _mult = _keep.Floats(s.N);
            _out = new Int8MatMulCore.RequantOutput(ctx.OutputPtr(0), _mult, _perColumn, QuantizedKernels.Path);
        }

        public override string KernelName => $"qlinearmatmul.i8.gemm.{Kernels.Isa.KernelPaths.Name(QuantizedKernels.Path)}";

        public override void Execute(int frames)
        {
            for (int j = 0; j < (_perColumn ? _n : 1); j++) _mult[j] = _as[0] * _bs[j] / _ys[0];
            _out.ZeroPoint = QuantElements.Load(_yzp, 0, _yt);
            (_out.Min, _out.Max) = QuantizedKernels.Clamp(_node, _ys[0], _out.ZeroPoint, _yt);
            _core.Run(null, _out);
        }
    }

    private sealed unsafe class Reference : OpKernel
    {
        private readonly Node _node;
        private readonly IntegerMatMul _mm;
        private readonly byte* _a, _azp, _b, _bzp, _yzp, _y;
        private readonly float* _as, _bs, _ys;
        private readonly DataType _at, _bt, _yt;
        private readonly bool _aPerRow, _bPerCol, _bScalePerCol;

        public Reference(Node node, KernelContext ctx)
        {
            _node = node;
            _mm = IntegerMatMul.Of(ctx.Graph, node, ctx.Input(0), ctx.Input(3));
            _a = ctx.InputPtr(0); _as = ctx.InF(1); _azp = ctx.InputPtr(2);
            _b = ctx.InputPtr(3); _bs = ctx.InF(4); _bzp = ctx.InputPtr(5);
            _ys = ctx.InF(6); _yzp = ctx.InputPtr(7); _y = ctx.OutputPtr(0);
            _at = ctx.Input(0).Type; _bt = ctx.Input(3).Type; _yt = ctx.Output(0).Type;
            _aPerRow = ctx.Input(2).ElementCount > 1;
            _bPerCol = ctx.Input(5).ElementCount > 1;
            _bScalePerCol = ctx.Input(4).ElementCount > 1;
        }

        public override string KernelName => "qlinearmatmul.ref";

        public override void Execute(int frames)
        {
            var mm = _mm;
            int yzp = QuantElements.Load(_yzp, 0, _yt);
            var (lo, hi) = QuantizedKernels.Clamp(_node, _ys[0], yzp, _yt);
            long o = 0;
            for (int b = 0; b < mm.Batches; b++)
                for (int m = 0; m < mm.M; m++)
                {
                    int azp = QuantElements.Load(_azp, _aPerRow ? m : 0, _at);
                    for (int n = 0; n < mm.N; n++)
                    {
                        int bzp = QuantElements.Load(_bzp, _bPerCol ? n : 0, _bt);
                        float mult = _as[0] * _bs[_bScalePerCol ? n : 0] / _ys[0];
                        int acc = mm.Dot(_a, _at, _b, _bt, b, m, n, azp, bzp);
                        QuantElements.Store(_y, o++, _yt, Math.Round(acc * (double)mult, MidpointRounding.ToEven) + yzp, lo, hi);
                    }
                }
        }
    }
}
