using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX Gemm (opset 1+): Y = alpha · A′ · B′ + beta · C with A′ = transA ? Aᵀ : A, B′ likewise;
/// C optional (required before opset 11) and broadcast to [M, N] (the opset &lt; 7 <c>broadcast</c>
/// attribute is accepted either way). Transposed operands are copied to scratch so every product runs
/// through <see cref="GemmF32"/>; operands may be run-time inputs.</summary>
public sealed class GemmOperator : IOperator, ISupportsFusedActivation
{
    public string OpType => "Gemm";

    public void InferShapes(Node node, Graph graph)
    {
        var s = GemmShape.Of(graph, node);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [s.M, s.N]);
    }

    public MemoryNeeds Needs(Node node, Graph graph) => new(GemmShape.Of(graph, node).ScratchFloats * sizeof(float), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new GemmKernel(GemmShape.Of(ctx.Graph, node), ctx, FusedActivation.FromNode(node));
}

internal sealed class GemmShape
{
    public required int M { get; init; }
    public required int N { get; init; }
    public required int K { get; init; }
    public required bool TransA { get; init; }
    public required bool TransB { get; init; }
    public required float Alpha { get; init; }
    public required float Beta { get; init; }
    /// <summary>Shape of C broadcast to [M, N] as (rows, cols) of C: each is 1 or the full size; null when absent.</summary>
    public required (int Rows, int Cols)? C { get; init; }
    public long ScratchFloats => (TransA ? (long)M * K : 0) + (TransB ? (long)K * N : 0);

    public static GemmShape Of(Graph graph, Node node)
    {
        var a = NnChecks.Float(graph, node, 0, "A");
        var b = NnChecks.Float(graph, node, 1, "B");
        NnChecks.Rank(graph, node, a, "input A", 2, 2);
        NnChecks.Rank(graph, node, b, "input B", 2, 2);
        bool ta = node.GetInt("transA", 0) != 0, tb = node.GetInt("transB", 0) != 0;
        int m = ta ? a.Shape[1] : a.Shape[0], k = ta ? a.Shape[0] : a.Shape[1];
        int kb = tb ? b.Shape[1] : b.Shape[0], n = tb ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw NnChecks.Error(graph, node, $"A{(ta ? "ᵀ" : "")} {NnChecks.Dims(a.Shape)} and B{(tb ? "ᵀ" : "")} {NnChecks.Dims(b.Shape)} have different inner dimensions ({k} vs {kb})");
        (int, int)? cshape = null;
        if (node.HasInput(2))
        {
            var c = NnChecks.Float(graph, node, 2, "C");
            int[] cs = c.Shape;
            if (cs.Length > 2) throw NnChecks.Error(graph, node, $"C '{c.Name}' {NnChecks.Dims(cs)} has more than 2 dimensions");
            int rows = cs.Length == 2 ? cs[0] : 1, cols = cs.Length >= 1 ? cs[^1] : 1;
            if ((rows != 1 && rows != m) || (cols != 1 && cols != n))
                throw NnChecks.Error(graph, node, $"C '{c.Name}' {NnChecks.Dims(cs)} does not broadcast to [{m},{n}]");
            cshape = (rows, cols);
        }
        return new GemmShape
        {
            M = m, N = n, K = k, TransA = ta, TransB = tb,
            Alpha = node.GetFloat("alpha", 1f), Beta = node.GetFloat("beta", 1f), C = cshape,
        };
    }
}

internal sealed unsafe class GemmKernel : OpKernel
{
    private readonly GemmShape _s;
    private readonly float* _a, _b, _c, _y, _at, _bt;
    private readonly bool _streamRows;
    private readonly FusedActivation _act;

    public GemmKernel(GemmShape s, KernelContext ctx, FusedActivation act)
    {
        _s = s;
        _act = act;
        _a = ctx.InF(0);
        _b = ctx.InF(1);
        _c = ctx.HasInput(2) ? ctx.InF(2) : null;
        _y = ctx.OutF(0);
        _at = (float*)ctx.Scratch;
        _bt = _at + (s.TransA ? (long)s.M * s.K : 0);
        // Streaming graphs: rows of A are frames; only the valid ones are computed.
        _streamRows = ctx.Graph.Streaming && !s.TransA && s.M == ctx.MaxFrames && (s.C is null || s.C.Value.Rows == 1);
    }

    public override string KernelName => "gemm.f32";

    public override void Execute(int frames)
    {
        int m = _streamRows ? Math.Min(frames, _s.M) : _s.M;
        Product(m);
        if (!_act.IsNone) _act.Apply(_y, (long)m * _s.N);
    }

    /// <summary>Y[0..m) = alpha · A′ · B′ + beta · C (rows of Y beyond m are left alone).</summary>
    private void Product(int m)
    {
        var s = _s;
        int n = s.N, k = s.K;
        float* a = _a, b = _b;
        if (s.TransA)
        {
            for (int i = 0; i < k; i++)
                for (int j = 0; j < m; j++) _at[(long)j * k + i] = _a[(long)i * m + j];
            a = _at;
        }
        if (s.TransB)
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < k; j++) _bt[(long)j * n + i] = _b[(long)i * k + j];
            b = _bt;
        }
        if (_c != null && s.Alpha == 1f && s.Beta == 1f && s.C!.Value.Rows == 1 && s.C.Value.Cols == n)
        {
            GemmF32.Run(m, n, k, a, k, b, n, _y, n, _c);
            return;
        }
        GemmF32.Run(m, n, k, a, k, b, n, _y, n);
        if (_c == null)
        {
            if (s.Alpha != 1f)
                for (long i = 0; i < (long)m * n; i++) _y[i] *= s.Alpha;
            return;
        }
        var (cr, cc) = s.C!.Value;
        for (int i = 0; i < m; i++)
        {
            float* yi = _y + (long)i * n;
            float* ci = _c + (cr == 1 ? 0 : (long)i * cc);
            for (int j = 0; j < n; j++)
                yi[j] = s.Alpha * yi[j] + s.Beta * ci[cc == 1 ? 0 : j];
        }
    }
}
