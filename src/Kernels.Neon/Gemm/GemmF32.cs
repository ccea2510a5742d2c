using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Gemm;

/// <summary>fp32 GEMM entry point used by the runtime (dense, MatMul, pointwise conv, im2col conv).
/// Aliasing: C must not overlap A or B. Dispatches to the widest path this machine accelerates.
/// <para>Kernel: a 6×(2·lanes) register-blocked micro-kernel (12 accumulators: 6×16 on AVX2, 6×32 on
/// AVX-512, 6×8 on NEON/Vector128), FMA with A broadcast, over B panels packed (zero padded to the panel
/// width) into a stack buffer of KC=256 rows, so the inner loop reads B contiguously from L1. Written once
/// over <see cref="IFloatIsa{TV}"/>. Results agree with <see cref="GemmReference"/> to within fp32 rounding
/// of a different summation order: |Δ| ≤ 2·k·2^-24·Σ|a·b| (tested).</para></summary>
public static unsafe class GemmF32
{
    private const int MR = 6;
    private const int KC = 256;

    /// <summary>C[m×n] = A[m×k]·B[k×n] (+ bias[n]) (+ C when accumulate). Row strides lda, ldb, ldc.</summary>
    public static void Run(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        float* bias = null, bool accumulate = false)
        => Run(KernelPaths.BestF32, m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate);

    /// <summary>Same contract on an explicit path (tests, selftest, bench).</summary>
    public static void Run(KernelPath path, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        float* bias = null, bool accumulate = false)
    {
        if (m <= 0 || n <= 0) return;
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), $"GEMM: negative k={k}");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"fp32 GEMM path {KernelPaths.Name(path)} is not supported on this machine");
        if (k == 0) { GemmReference.F32(m, n, 0, a, lda, b, ldb, c, ldc, bias, accumulate); return; }
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Generic<AdvSimdIsa, Vector128<float>>(m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Generic<AdvSimdModelIsa, Vector128<float>>(m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate); break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate); break;
            default: Generic<ScalarIsa, float>(m, n, k, a, lda, b, ldb, c, ldc, bias, accumulate); break;
        }
    }

    internal static void Generic<TIsa, TV>(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        float* bias, bool accumulate) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, NR = 2 * L;
        float* panel = stackalloc float[KC * 32];      // KC × NR (NR ≤ 32)
        float* tile = stackalloc float[MR * 32];       // edge tiles
        float* biasPad = stackalloc float[32];
        for (int j0 = 0; j0 < n; j0 += NR)
        {
            int nr = Math.Min(NR, n - j0);
            float* bj = null;
            if (bias != null)
            {
                for (int t = 0; t < NR; t++) biasPad[t] = t < nr ? bias[j0 + t] : 0f;
                bj = biasPad;
            }
            for (int k0 = 0; k0 < k; k0 += KC)
            {
                int kc = Math.Min(KC, k - k0);
                Pack(b + (long)k0 * ldb + j0, ldb, kc, nr, NR, panel);
                bool first = k0 == 0;
                bool load = accumulate || !first;
                float* kb = first ? bj : null;
                for (int i0 = 0; i0 < m; i0 += MR)
                {
                    int mr = Math.Min(MR, m - i0);
                    float* ai = a + (long)i0 * lda + k0;
                    float* ci = c + (long)i0 * ldc + j0;
                    if (mr == MR && nr == NR)
                        Micro<TIsa, TV>(ai, lda, MR, panel, kc, ci, ldc, load, kb);
                    else
                    {
                        if (load) for (int r = 0; r < mr; r++) for (int t = 0; t < nr; t++) tile[r * NR + t] = ci[(long)r * ldc + t];
                        Micro<TIsa, TV>(ai, lda, mr, panel, kc, tile, NR, load, kb);
                        for (int r = 0; r < mr; r++) for (int t = 0; t < nr; t++) ci[(long)r * ldc + t] = tile[r * NR + t];
                    }
                }
            }
        }
    }

    /// <summary>Copy B[0..kc, 0..nr] (row stride ldb) into a kc × NR panel, zero padding columns nr..NR.</summary>
    private static void Pack(float* b, int ldb, int kc, int nr, int NR, float* panel)
    {
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (long)p * ldb;
            float* dst = panel + p * NR;
            if (nr == NR) Buffer.MemoryCopy(src, dst, NR * 4, NR * 4);
            else
            {
                int t = 0;
                for (; t < nr; t++) dst[t] = src[t];
                for (; t < NR; t++) dst[t] = 0f;
            }
        }
    }

    /// <summary>6 × (2 vectors) tile: C = (load ? C : 0) + bias + A·panel over kc. Rows ≥ mr read row mr−1
    /// of A and are not stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro<TIsa, TV>(float* a, int lda, int mr, float* panel, int kc, float* c, int ldc, bool load, float* bias)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, NR = 2 * L;
        float* a0 = a, a1 = mr > 1 ? a0 + lda : a0, a2 = mr > 2 ? a1 + lda : a1, a3 = mr > 3 ? a2 + lda : a2,
               a4 = mr > 4 ? a3 + lda : a3, a5 = mr > 5 ? a4 + lda : a4;
        TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load)
        {
            c00 = TIsa.Load(c); c01 = TIsa.Load(c + L);
            c10 = mr > 1 ? TIsa.Load(c + ldc) : TIsa.Zero; c11 = mr > 1 ? TIsa.Load(c + ldc + L) : TIsa.Zero;
            c20 = mr > 2 ? TIsa.Load(c + 2 * ldc) : TIsa.Zero; c21 = mr > 2 ? TIsa.Load(c + 2 * ldc + L) : TIsa.Zero;
            c30 = mr > 3 ? TIsa.Load(c + 3 * ldc) : TIsa.Zero; c31 = mr > 3 ? TIsa.Load(c + 3 * ldc + L) : TIsa.Zero;
            c40 = mr > 4 ? TIsa.Load(c + 4 * ldc) : TIsa.Zero; c41 = mr > 4 ? TIsa.Load(c + 4 * ldc + L) : TIsa.Zero;
            c50 = mr > 5 ? TIsa.Load(c + 5 * ldc) : TIsa.Zero; c51 = mr > 5 ? TIsa.Load(c + 5 * ldc + L) : TIsa.Zero;
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = TIsa.Zero;
        }
        if (bias != null)
        {
            TV q0 = TIsa.Load(bias), q1 = TIsa.Load(bias + L);
            c00 = TIsa.Add(c00, q0); c01 = TIsa.Add(c01, q1); c10 = TIsa.Add(c10, q0); c11 = TIsa.Add(c11, q1);
            c20 = TIsa.Add(c20, q0); c21 = TIsa.Add(c21, q1); c30 = TIsa.Add(c30, q0); c31 = TIsa.Add(c31, q1);
            c40 = TIsa.Add(c40, q0); c41 = TIsa.Add(c41, q1); c50 = TIsa.Add(c50, q0); c51 = TIsa.Add(c51, q1);
        }
        float* bp = panel;
        for (int p = 0; p < kc; p++, bp += NR)
        {
            TV b0 = TIsa.Load(bp), b1 = TIsa.Load(bp + L);
            TV x = TIsa.Broadcast(a0[p]); c00 = TIsa.Fma(c00, x, b0); c01 = TIsa.Fma(c01, x, b1);
            x = TIsa.Broadcast(a1[p]); c10 = TIsa.Fma(c10, x, b0); c11 = TIsa.Fma(c11, x, b1);
            x = TIsa.Broadcast(a2[p]); c20 = TIsa.Fma(c20, x, b0); c21 = TIsa.Fma(c21, x, b1);
            x = TIsa.Broadcast(a3[p]); c30 = TIsa.Fma(c30, x, b0); c31 = TIsa.Fma(c31, x, b1);
            x = TIsa.Broadcast(a4[p]); c40 = TIsa.Fma(c40, x, b0); c41 = TIsa.Fma(c41, x, b1);
            x = TIsa.Broadcast(a5[p]); c50 = TIsa.Fma(c50, x, b0); c51 = TIsa.Fma(c51, x, b1);
        }
        TIsa.Store(c, c00); TIsa.Store(c + L, c01);
        if (mr > 1) { TIsa.Store(c + ldc, c10); TIsa.Store(c + ldc + L, c11); }
        if (mr > 2) { TIsa.Store(c + 2 * ldc, c20); TIsa.Store(c + 2 * ldc + L, c21); }
        if (mr > 3) { TIsa.Store(c + 3 * ldc, c30); TIsa.Store(c + 3 * ldc + L, c31); }
        if (mr > 4) { TIsa.Store(c + 4 * ldc, c40); TIsa.Store(c + 4 * ldc + L, c41); }
        if (mr > 5) { TIsa.Store(c + 5 * ldc, c50); TIsa.Store(c + 5 * ldc + L, c51); }
    }
}
