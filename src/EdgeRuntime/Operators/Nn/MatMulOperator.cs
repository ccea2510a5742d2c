using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX MatMul (opset 1+) with numpy semantics: N-d batched with broadcasting of the batch
/// dimensions, 1-D operands promoted (and the added axis removed from the result). One
/// <see cref="GemmF32"/> call per output matrix; both operands may be run-time inputs.</summary>
public sealed class MatMulOperator : IOperator, ISupportsFusedActivation
{
    public string OpType => "MatMul";

    public void InferShapes(Node node, Graph graph) =>
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, MatMulShape.Of(graph, node).Output);

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new MatMulKernel(MatMulShape.Of(ctx.Graph, node), ctx, FusedActivation.FromNode(node));
}

internal sealed class MatMulShape
{
    public required int M { get; init; }
    public required int N { get; init; }
    public required int K { get; init; }
    public required int[] Output { get; init; }
    /// <summary>Element offsets of each output matrix's A and B operands (batch broadcasting resolved).</summary>
    public required long[] OffsetA { get; init; }
    public required long[] OffsetB { get; init; }

    public static MatMulShape Of(Graph graph, Node node)
    {
        var a = NnChecks.Float(graph, node, 0, "A");
        var b = NnChecks.Float(graph, node, 1, "B");
        if (a.Shape.Length == 0 || b.Shape.Length == 0)
            throw NnChecks.Error(graph, node, $"operands must have rank ≥ 1, got {NnChecks.Dims(a.Shape)} and {NnChecks.Dims(b.Shape)}");
        int[] sa = a.Shape.Length == 1 ? [1, a.Shape[0]] : a.Shape;
        int[] sb = b.Shape.Length == 1 ? [b.Shape[0], 1] : b.Shape;
        int m = sa[^2], k = sa[^1], kb = sb[^2], n = sb[^1];
        if (k != kb)
            throw NnChecks.Error(graph, node, $"A {NnChecks.Dims(a.Shape)} and B {NnChecks.Dims(b.Shape)} have different inner dimensions ({k} vs {kb})");
        int ba = sa.Length - 2, bb = sb.Length - 2, rank = Math.Max(ba, bb);
        var batch = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - ba) >= 0 ? sa[i - (rank - ba)] : 1;
            int db = i - (rank - bb) >= 0 ? sb[i - (rank - bb)] : 1;
            if (da != db && da != 1 && db != 1)
                throw NnChecks.Error(graph, node, $"batch dimensions of A {NnChecks.Dims(a.Shape)} and B {NnChecks.Dims(b.Shape)} do not broadcast");
            batch[i] = da == 1 ? db : da;
        }
        var output = new List<int>(batch);
        if (a.Shape.Length > 1) output.Add(m);
        if (b.Shape.Length > 1) output.Add(n);

        long count = batch.Aggregate(1L, (x, y) => x * y);
        var offA = new long[count];
        var offB = new long[count];
        var idx = new int[rank];
        for (long t = 0; t < count; t++)
        {
            long oa = 0, ob = 0, stA = (long)m * k, stB = (long)k * n;
            for (int i = rank - 1; i >= 0; i--)
            {
                int ia = i - (rank - ba), ib = i - (rank - bb);
                if (ia >= 0) { if (sa[ia] != 1) oa += idx[i] * stA; stA *= sa[ia]; }
                if (ib >= 0) { if (sb[ib] != 1) ob += idx[i] * stB; stB *= sb[ib]; }
            }
            offA[t] = oa;
            offB[t] = ob;
            for (int i = rank - 1; i >= 0; i--)
            {
                if (++idx[i] < batch[i]) break;
                idx[i] = 0;
            }
        }
        return new MatMulShape { M = m, N = n, K = k, Output = output.ToArray(), OffsetA = offA, OffsetB = offB };
    }
}

internal sealed unsafe class MatMulKernel : OpKernel
{
    private readonly MatMulShape _s;
    private readonly float* _a, _b, _y;
    private readonly int _framesDivisor;  // streaming: output matrices (or rows) per frame; 0 = not streaming
    private readonly FusedActivation _act;

    public MatMulKernel(MatMulShape s, KernelContext ctx, FusedActivation act)
    {
        _s = s;
        _act = act;
        _a = ctx.InF(0);
        _b = ctx.InF(1);
        _y = ctx.OutF(0);
        int t = ctx.MaxFrames;
        if (ctx.Graph.Streaming && s.Output.Length > 0 && s.Output[0] == t && t > 0)
            _framesDivisor = s.OffsetA.Length > 1 ? s.OffsetA.Length / t
                : s.OffsetA.Length == 1 && ctx.Input(0).Shape.Length == 2 && s.M == t ? 1 : 0;
    }

    public override string KernelName => "matmul.f32";

    public override void Execute(int frames)
    {
        var s = _s;
        long mats = s.OffsetA.Length;
        int m = s.M;
        if (_framesDivisor > 0)
        {
            if (mats > 1) mats = Math.Min(mats, (long)frames * _framesDivisor);
            else m = Math.Min(m, frames);
        }
        long outStride = (long)s.M * s.N;
        for (long t = 0; t < mats; t++)
        {
            float* y = _y + t * outStride;
            GemmF32.Run(m, s.N, s.K, _a + s.OffsetA[t], s.K, _b + s.OffsetB[t], s.N, y, s.N);
            if (!_act.IsNone) _act.Apply(y, (long)m * s.N);
        }
    }
}
