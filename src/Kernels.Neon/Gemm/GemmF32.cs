using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Gemm;

/// <summary>fp32 GEMM entry point used by the runtime (dense, MatMul, pointwise conv, im2col conv).
/// Aliasing: C must not overlap A or B. Dispatches to the widest path this machine accelerates.</summary>
public static unsafe class GemmF32
{
    /// <summary>C[m×n] = A[m×k]·B[k×n] (+ bias[n]) (+ C when accumulate). Row strides lda, ldb, ldc.</summary>
    public static void Run(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        float* bias = null, bool accumulate = false)
    {
        if (m <= 0 || n <= 0) return;
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (long)i * ldc;
            float* ai = a + (long)i * lda;
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= n - 8; j += 8)
                {
                    var acc = accumulate ? Vector256.Load(ci + j) : Vector256<float>.Zero;
                    if (bias != null) acc += Vector256.Load(bias + j);
                    for (int p = 0; p < k; p++)
                        acc = MulAdd(Vector256.Create(ai[p]), Vector256.Load(b + (long)p * ldb + j), acc);
                    acc.Store(ci + j);
                }
            }
            for (; j <= n - 4; j += 4)
            {
                var acc = accumulate ? Vector128.Load(ci + j) : Vector128<float>.Zero;
                if (bias != null) acc += Vector128.Load(bias + j);
                for (int p = 0; p < k; p++)
                    acc += Vector128.Create(ai[p]) * Vector128.Load(b + (long)p * ldb + j);
                acc.Store(ci + j);
            }
            for (; j < n; j++)
            {
                float s = accumulate ? ci[j] : 0f;
                if (bias != null) s += bias[j];
                for (int p = 0; p < k; p++) s += ai[p] * b[(long)p * ldb + j];
                ci[j] = s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, acc) : acc + x * y;
}
