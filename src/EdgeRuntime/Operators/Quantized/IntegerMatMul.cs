using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>Geometry and the int32 accumulation shared by MatMulInteger and QLinearMatMul:
/// acc[b,m,n] = Σ_k (A[b,m,k] − a_zp[m]) · (B[b,k,n] − b_zp[n]). A is [..., M, K]; B is [K, N] or
/// has A's leading dimensions.</summary>
internal readonly record struct IntegerMatMul(int Batches, int M, int K, int N, bool SharedB, int[] OutShape)
{
    public static IntegerMatMul Of(Graph g, Node n, Tensor a, Tensor b)
    {
        if (a.Shape.Length < 2 || b.Shape.Length < 2)
            throw QuantElements.Error(g, n, $"inputs must have rank ≥ 2, got [{string.Join(",", a.Shape)}] and [{string.Join(",", b.Shape)}]");
        int m = a.Shape[^2], k = a.Shape[^1], kb = b.Shape[^2], nn = b.Shape[^1];
        if (k != kb) throw QuantElements.Error(g, n, $"inner dimensions differ: [{string.Join(",", a.Shape)}] × [{string.Join(",", b.Shape)}]");
        bool shared = b.Shape.Length == 2;
        if (!shared && !a.Shape[..^2].SequenceEqual(b.Shape[..^2]))
            throw QuantElements.Error(g, n, $"batch dimensions must match: [{string.Join(",", a.Shape)}] × [{string.Join(",", b.Shape)}]");
        int batches = (int)a.Shape[..^2].Aggregate(1L, (x, d) => x * d);
        return new IntegerMatMul(batches, m, k, nn, shared, [.. a.Shape[..^2], m, nn]);
    }

    /// <summary>One output element's accumulator.</summary>
    public unsafe int Dot(byte* a, DataType at, byte* b, DataType bt, int batch, int m, int n, int azp, int bzp)
    {
        long aBase = ((long)batch * M + m) * K;
        long bBase = SharedB ? 0 : (long)batch * K * N;
        int acc = 0;
        for (int k = 0; k < K; k++)
            acc += (QuantElements.Load(a, aBase + k, at) - azp) * (QuantElements.Load(b, bBase + (long)k * N + n, bt) - bzp);
        return acc;
    }
}
