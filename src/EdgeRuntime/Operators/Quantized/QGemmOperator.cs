using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>com.microsoft QGemm (ONNX Runtime's quantized Gemm; QDQ folding of Gemm produces it):
/// y = saturate(round_half_even((acc + C[n]) · (alpha·a_scale·b_scale[n]/y_scale)) + y_zero_point), acc the exact
/// int32 Σ_k (A′[m,k] − a_zp)(B′[k,n] − b_zp[n]) with A′ = transA ? Aᵀ : A, B′ likewise. The multiplier is formed in
/// float32 ((alpha·a_scale)·b_scale/y_scale) and applied in double, as QLinearMatMul. A per tensor; B scale and zero
/// point per tensor or per column; C int32, a scalar or one value per column (it carries beta: its scale is
/// alpha·a_scale·b_scale/beta). y_scale is required (the float-output form is not supported); y_zero_point
/// defaults to uint8 0. A fused Relu/Clip narrows the output clamp. Runs on <see cref="Int8MatMulCore"/>.</summary>
public sealed class QGemmOperator : IOperator
{
    public string OpType => "com.microsoft:QGemm";

    internal static Int8MatMulCore.Shape Shape(Graph g, Node n)
    {
        var a = g[n.Inputs[0]];
        var b = g[n.Inputs[3]];
        if (a.Shape.Length != 2 || b.Shape.Length != 2)
            throw QuantElements.Error(g, n, $"A and B must be 2-D, got [{string.Join(",", a.Shape)}] and [{string.Join(",", b.Shape)}]");
        bool ta = n.GetInt("transA", 0) != 0, tb = n.GetInt("transB", 0) != 0;
        int m = ta ? a.Shape[1] : a.Shape[0], k = ta ? a.Shape[0] : a.Shape[1];
        int kb = tb ? b.Shape[1] : b.Shape[0], nn = tb ? b.Shape[0] : b.Shape[1];
        if (k != kb) throw QuantElements.Error(g, n, $"inner dimensions differ: A{(ta ? "ᵀ" : "")} [{string.Join(",", a.Shape)}] × B{(tb ? "ᵀ" : "")} [{string.Join(",", b.Shape)}]");
        return new(1, m, k, nn, true, ta, tb);
    }

    public void InferShapes(Node node, Graph graph)
    {
        for (int i = 0; i < 6; i++) if (!node.HasInput(i)) throw QuantElements.Error(graph, node, $"missing input {i}");
        if (!node.HasInput(7)) throw QuantElements.Error(graph, node, "y_scale is missing: the float-output form of QGemm is not supported");
        var a = graph[node.Inputs[0]];
        var b = graph[node.Inputs[3]];
        QuantElements.Require(graph, node, a, "A", DataType.UInt8, DataType.Int8);
        QuantElements.Require(graph, node, b, "B", DataType.UInt8, DataType.Int8);
        var s = Shape(graph, node);
        foreach (var (i, role) in new[] { (1, "a_scale"), (4, "b_scale"), (7, "y_scale") })
            QuantElements.Require(graph, node, graph[node.Inputs[i]], role, DataType.Float32);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[1]], "a_scale", 1);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[2]], "a_zero_point", 1);
        QuantElements.Require(graph, node, graph[node.Inputs[2]], "a_zero_point", a.Type);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[4]], "b_scale", s.N);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[5]], "b_zero_point", s.N);
        QuantElements.Require(graph, node, graph[node.Inputs[5]], "b_zero_point", b.Type);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[7]], "y_scale", 1);
        var yType = DataType.UInt8;
        if (node.HasInput(8))
        {
            var yzp = graph[node.Inputs[8]];
            QuantElements.Require(graph, node, yzp, "y_zero_point", DataType.UInt8, DataType.Int8);
            QuantElements.ParamCount(graph, node, yzp, "y_zero_point", 1);
            yType = yzp.Type;
        }
        if (node.HasInput(6))
        {
            var c = graph[node.Inputs[6]];
            QuantElements.Require(graph, node, c, "C", DataType.Int32);
            if (!(c.ElementCount == 1 || (c.ElementCount == s.N && c.Shape[^1] == s.N && c.Shape.Length <= 2)))
                throw QuantElements.Error(graph, node, $"C '{c.Name}' [{string.Join(",", c.Shape)}] must be a scalar or one value per column ({s.N})");
        }
        QuantizedKernels.CheckFused(graph, node);
        ShapeInference.SetOutput(graph, node, 0, yType, [s.M, s.N]);
    }

    public MemoryNeeds Needs(Node node, Graph graph) => new(Int8MatMulCore.ScratchBytes(Shape(graph, node), graph[node.Inputs[0]].Type), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        QuantizedKernels.ForceReference ? new Reference(node, ctx) : new Fast(node, ctx);

    /// <summary>Per-run parameters shared by both kernels.</summary>
    private sealed unsafe class Params
    {
        private readonly Node _node;
        private readonly float* _as, _bs, _ys;
        private readonly byte* _yzp;
        private readonly float _alpha;
        public readonly DataType YType;
        public readonly bool PerColumn;
        public readonly int N;

        public Params(Node node, KernelContext ctx, int n)
        {
            _node = node;
            _as = ctx.InF(1); _bs = ctx.InF(4); _ys = ctx.InF(7);
            _yzp = ctx.HasInput(8) ? ctx.InputPtr(8) : null;
            _alpha = node.GetFloat("alpha", 1f);
            YType = ctx.Output(0).Type;
            PerColumn = ctx.Input(4).ElementCount > 1;
            N = n;
        }

        public float Multiplier(int col) => _alpha * _as[0] * _bs[PerColumn ? col : 0] / _ys[0];
        public int ZeroPoint => _yzp == null ? 0 : QuantElements.Load(_yzp, 0, YType);
        public (int Min, int Max) Clamp() => QuantizedKernels.Clamp(_node, _ys[0], ZeroPoint, YType);
    }

    private sealed unsafe class Fast : OpKernel
    {
        private readonly Int8MatMulCore _core;
        private readonly Int8MatMulCore.RequantOutput _out;
        private readonly Params _p;
        private readonly float* _mult;
        private readonly PinnedBuffers _keep = new();

        public Fast(Node node, KernelContext ctx)
        {
            var s = Shape(ctx.Graph, node);
            _core = new Int8MatMulCore(s, ctx, 0, 2, 3, 5, 6, directInt32: false);
            _p = new Params(node, ctx, s.N);
            _mult = _keep.Floats(s.N);
            _out = new Int8MatMulCore.RequantOutput(ctx.OutputPtr(0), _mult, _p.PerColumn, QuantizedKernels.Path);
        }

        public override string KernelName => $"qgemm.i8.gemm.{Kernels.Isa.KernelPaths.Name(QuantizedKernels.Path)}";

        public override void Execute(int frames)
        {
            for (int j = 0; j < (_p.PerColumn ? _p.N : 1); j++) _mult[j] = _p.Multiplier(j);
            _out.ZeroPoint = _p.ZeroPoint;
            (_out.Min, _out.Max) = _p.Clamp();
            _core.Run(null, _out);
        }
    }

    private sealed unsafe class Reference : OpKernel
    {
        private readonly Int8MatMulCore.Shape _s;
        private readonly Params _p;
        private readonly byte* _a, _azp, _b, _bzp, _y;
        private readonly int* _c;
        private readonly bool _cScalar, _bzpPerColumn;
        private readonly DataType _at, _bt;

        public Reference(Node node, KernelContext ctx)
        {
            _s = Shape(ctx.Graph, node);
            _p = new Params(node, ctx, _s.N);
            _a = ctx.InputPtr(0); _azp = ctx.InputPtr(2); _b = ctx.InputPtr(3); _bzp = ctx.InputPtr(5);
            _c = ctx.HasInput(6) ? (int*)ctx.InputPtr(6) : null;
            _cScalar = _c != null && ctx.Input(6).ElementCount == 1;
            _bzpPerColumn = ctx.Input(5).ElementCount > 1;
            _y = ctx.OutputPtr(0);
            _at = ctx.Input(0).Type; _bt = ctx.Input(3).Type;
        }

        public override string KernelName => "qgemm.ref";

        public override void Execute(int frames)
        {
            var s = _s;
            int azp = QuantElements.Load(_azp, 0, _at), yzp = _p.ZeroPoint;
            var (lo, hi) = _p.Clamp();
            for (int m = 0; m < s.M; m++)
                for (int n = 0; n < s.N; n++)
                {
                    int bzp = QuantElements.Load(_bzp, _bzpPerColumn ? n : 0, _bt);
                    int acc = _c == null ? 0 : _c[_cScalar ? 0 : n];
                    for (int k = 0; k < s.K; k++)
                    {
                        int a = QuantElements.Load(_a, s.TransA ? (long)k * s.M + m : (long)m * s.K + k, _at) - azp;
                        int b = QuantElements.Load(_b, s.TransB ? (long)n * s.K + k : (long)k * s.N + n, _bt) - bzp;
                        acc += a * b;
                    }
                    QuantElements.Store(_y, (long)m * s.N + n, _p.YType, Math.Round(acc * (double)_p.Multiplier(n), MidpointRounding.ToEven) + yzp, lo, hi);
                }
        }
    }
}
