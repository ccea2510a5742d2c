namespace EdgeRuntime.Kernels.Gemm;

/// <summary>Scalar reference for fp32 GEMM: the specification every fast path is tested against.</summary>
public static unsafe class GemmReference
{
    /// <summary>C[m×n] = A[m×k]·B[k×n] (+ bias[n]) (+ C when accumulate). Row strides lda, ldb, ldc.</summary>
    public static void F32(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        float* bias = null, bool accumulate = false)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = accumulate ? c[i * ldc + j] : 0f;
                if (bias != null) s += bias[j];
                for (int p = 0; p < k; p++) s += a[i * lda + p] * b[p * ldb + j];
                c[i * ldc + j] = s;
            }
    }
}
