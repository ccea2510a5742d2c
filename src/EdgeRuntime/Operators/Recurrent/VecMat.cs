using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>Row vector × matrix for the per-frame recurrent and dense products:
/// y[j] = bias[j] + Σ_p x[p]·B[p·ldb + j] for j &lt; n, with B packed [k][n] once at kernel creation.
/// Broadcasts x[p] and keeps up to four independent vector accumulators across n, so a step costs
/// k·n/lanes FMAs with no horizontal sums and no per-call packing (the pinned GEMM packs B on every call,
/// which dominates at m = 1). The same code path runs for every frame, so results do not depend on the
/// block size. Checked against a scalar reference in the tests.</summary>
public static unsafe class VecMat
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : c + a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fma128(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        => AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : c + a * b;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int k, int n, float* x, float* b, int ldb, float* bias, float* y)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= n - 32; j += 32)
            {
                Vector256<float> a0, a1, a2, a3;
                if (bias != null) { a0 = Vector256.Load(bias + j); a1 = Vector256.Load(bias + j + 8); a2 = Vector256.Load(bias + j + 16); a3 = Vector256.Load(bias + j + 24); }
                else a0 = a1 = a2 = a3 = Vector256<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var xv = Vector256.Create(x[p]);
                    a0 = Fma256(xv, Vector256.Load(bp), a0);
                    a1 = Fma256(xv, Vector256.Load(bp + 8), a1);
                    a2 = Fma256(xv, Vector256.Load(bp + 16), a2);
                    a3 = Fma256(xv, Vector256.Load(bp + 24), a3);
                }
                a0.Store(y + j); a1.Store(y + j + 8); a2.Store(y + j + 16); a3.Store(y + j + 24);
            }
            for (; j <= n - 8; j += 8)
            {
                var a0 = bias != null ? Vector256.Load(bias + j) : Vector256<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) a0 = Fma256(Vector256.Create(x[p]), Vector256.Load(bp), a0);
                a0.Store(y + j);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; j <= n - 16; j += 16)
            {
                Vector128<float> a0, a1, a2, a3;
                if (bias != null) { a0 = Vector128.Load(bias + j); a1 = Vector128.Load(bias + j + 4); a2 = Vector128.Load(bias + j + 8); a3 = Vector128.Load(bias + j + 12); }
                else a0 = a1 = a2 = a3 = Vector128<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb)
                {
                    var xv = Vector128.Create(x[p]);
                    a0 = Fma128(xv, Vector128.Load(bp), a0);
                    a1 = Fma128(xv, Vector128.Load(bp + 4), a1);
                    a2 = Fma128(xv, Vector128.Load(bp + 8), a2);
                    a3 = Fma128(xv, Vector128.Load(bp + 12), a3);
                }
                a0.Store(y + j); a1.Store(y + j + 4); a2.Store(y + j + 8); a3.Store(y + j + 12);
            }
        }
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - 4; j += 4)
            {
                var a0 = bias != null ? Vector128.Load(bias + j) : Vector128<float>.Zero;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += ldb) a0 = Fma128(Vector128.Create(x[p]), Vector128.Load(bp), a0);
                a0.Store(y + j);
            }
        for (; j < n; j++)
        {
            // Narrow outputs (e.g. a final Dense k→1): four partial sums over p break the FMA chain.
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int p = 0;
            for (; p <= k - 4; p += 4)
            {
                s0 += x[p] * b[(long)p * ldb + j];
                s1 += x[p + 1] * b[(long)(p + 1) * ldb + j];
                s2 += x[p + 2] * b[(long)(p + 2) * ldb + j];
                s3 += x[p + 3] * b[(long)(p + 3) * ldb + j];
            }
            for (; p < k; p++) s0 += x[p] * b[(long)p * ldb + j];
            y[j] = (bias != null ? bias[j] : 0f) + ((s0 + s1) + (s2 + s3));
        }
    }

    /// <summary>Scalar reference: the same product in double precision.</summary>
    public static void Reference(int k, int n, float* x, float* b, int ldb, float* bias, float* y)
    {
        for (int j = 0; j < n; j++)
        {
            double s = bias != null ? bias[j] : 0;
            for (int p = 0; p < k; p++) s += (double)x[p] * b[(long)p * ldb + j];
            y[j] = (float)s;
        }
    }
}
