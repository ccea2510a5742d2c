namespace EdgeRuntime.Kernels.Int8;

/// <summary>Scalar reference for int8 GEMM/GEMV with int32 accumulation: the specification every path is
/// checked against bit for bit. Arithmetic wraps modulo 2^32 like the hardware accumulators.</summary>
public static unsafe class Int8GemmReference
{
    /// <summary>C[i,j] = bias[j] + Σ_k (A[i,k] + aOffset)·B[j,k]. A is m×k (row stride lda), B is n×k
    /// (row stride ldb; the weights [out, in] of a fully connected layer), C is m×n int32 (row stride ldc).</summary>
    public static void Run(int m, int n, int k, sbyte* a, int lda, sbyte* b, int ldb, int* c, int ldc, int* bias = null, int aOffset = 0)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int s = bias != null ? bias[j] : 0;
                for (int p = 0; p < k; p++) s = unchecked(s + (a[(long)i * lda + p] + aOffset) * b[(long)j * ldb + p]);
                c[(long)i * ldc + j] = s;
            }
    }
}
