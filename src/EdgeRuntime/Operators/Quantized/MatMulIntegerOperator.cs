using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX MatMulInteger: Y (int32) = (A − a_zero_point) · (B − b_zero_point); a_zero_point
/// scalar or per row of A, b_zero_point scalar or per column of B. Runs on <see cref="Int8MatMulCore"/>
/// (results written in place); the scalar reference kernel is kept as its specification.</summary>
public sealed class MatMulIntegerOperator : IOperator
{
    public string OpType => "MatMulInteger";

    public void InferShapes(Node node, Graph graph)
    {
        var a = graph[node.Inputs[0]];
        var b = graph[node.Inputs[1]];
        QuantElements.Require(graph, node, a, "A", DataType.UInt8, DataType.Int8);
        QuantElements.Require(graph, node, b, "B", DataType.UInt8, DataType.Int8);
        var mm = IntegerMatMul.Of(graph, node, a, b);
        if (node.HasInput(2)) { var z = graph[node.Inputs[2]]; QuantElements.Require(graph, node, z, "a_zero_point", a.Type); QuantElements.ParamCount(graph, node, z, "a_zero_point", mm.M); }
        if (node.HasInput(3)) { var z = graph[node.Inputs[3]]; QuantElements.Require(graph, node, z, "b_zero_point", b.Type); QuantElements.ParamCount(graph, node, z, "b_zero_point", mm.N); }
        ShapeInference.SetOutput(graph, node, 0, DataType.Int32, mm.OutShape);
    }

    public MemoryNeeds Needs(Node node, Graph graph) =>
        new(Int8MatMulCore.ScratchBytes(QLinearMatMulOperator.CoreShape(graph, node, graph[node.Inputs[0]], graph[node.Inputs[1]]), graph[node.Inputs[0]].Type), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        QuantizedKernels.ForceReference ? new Reference(node, ctx) : new Fast(node, ctx);

    private sealed unsafe class Fast(Node node, KernelContext ctx) : OpKernel
    {
        private readonly Int8MatMulCore _core = new(QLinearMatMulOperator.CoreShape(ctx.Graph, node, ctx.Input(0), ctx.Input(1)), ctx, 0, 2, 1, 3, -1, directInt32: true);
        private readonly int* _y = (int*)ctx.OutputPtr(0);

        public override string KernelName => $"matmulinteger.i8.gemm.{Kernels.Isa.KernelPaths.Name(QuantizedKernels.Path)}";

        public override void Execute(int frames) => _core.Run(_y, null);
    }

    private sealed unsafe class Reference : OpKernel
    {
        private readonly IntegerMatMul _mm;
        private readonly byte* _a, _b, _azp, _bzp;
        private readonly int* _y;
        private readonly DataType _at, _bt;
        private readonly bool _aPerRow, _bPerCol;

        public Reference(Node node, KernelContext ctx)
        {
            _mm = IntegerMatMul.Of(ctx.Graph, node, ctx.Input(0), ctx.Input(1));
            _a = ctx.InputPtr(0); _b = ctx.InputPtr(1); _azp = ctx.InputPtr(2); _bzp = ctx.InputPtr(3);
            _y = (int*)ctx.OutputPtr(0);
            _at = ctx.Input(0).Type; _bt = ctx.Input(1).Type;
            _aPerRow = ctx.HasInput(2) && ctx.Input(2).ElementCount > 1;
            _bPerCol = ctx.HasInput(3) && ctx.Input(3).ElementCount > 1;
        }

        public override string KernelName => "matmulinteger.ref";

        public override void Execute(int frames)
        {
            var mm = _mm;
            long o = 0;
            for (int b = 0; b < mm.Batches; b++)
                for (int m = 0; m < mm.M; m++)
                {
                    int azp = _azp == null ? 0 : QuantElements.Load(_azp, _aPerRow ? m : 0, _at);
                    for (int n = 0; n < mm.N; n++)
                    {
                        int bzp = _bzp == null ? 0 : QuantElements.Load(_bzp, _bPerCol ? n : 0, _bt);
                        _y[o++] = mm.Dot(_a, _at, _b, _bt, b, m, n, azp, bzp);
                    }
                }
        }
    }
}
