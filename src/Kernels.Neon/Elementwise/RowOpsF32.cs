using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Elementwise;

/// <summary>Element-wise fp32 operations on row-strided blocks (time-major [rows, cols] views), for the glue
/// of streaming layers (FiLM scale/shift, gating products, residual and head sums):
/// <list type="bullet">
/// <item><see cref="MulAdd"/>: y = a ⊙ b (+ c), one rounding per product and sum (FMA when c is present);</item>
/// <item><see cref="Add"/>: y = a + b (exact IEEE sum);</item>
/// <item><see cref="Lerp"/>: y = α ⊙ x1 + (1 − α) ⊙ x0, computed as x0 + α ⊙ (x1 − x0).</item>
/// </list>
/// Each row is processed in vectors of the path's width with a scalar tail; y may be any of the inputs
/// (same stride) but must not partially overlap them. Written once over <see cref="IFloatIsa{TV}"/>; agrees
/// with <see cref="RowOpsReference"/> exactly for Add and MulAdd without c, otherwise within 2^-22 of the
/// result's magnitude (MulAdd) or of |x0| + |α|(|x1| + |x0|) (Lerp) (tested).</summary>
public static unsafe class RowOpsF32
{
    /// <summary>y[r, i] = a[r, i]·b[r, i] (+ c[r, i] when c is not null), r &lt; rows, i &lt; cols.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulAdd(int rows, int cols, float* a, int lda, float* b, int ldb, float* c, int ldc, float* y, int ldy)
        => MulAdd(KernelPaths.BestF32, rows, cols, a, lda, b, ldb, c, ldc, y, ldy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulAdd(KernelPath path, int rows, int cols, float* a, int lda, float* b, int ldb, float* c, int ldc, float* y, int ldy)
    {
        switch (path)
        {
            case KernelPath.Avx512: MulAdd<Avx512Isa, Vector512<float>>(rows, cols, a, lda, b, ldb, c, ldc, y, ldy); break;
            case KernelPath.Avx2: MulAdd<Avx2Isa, Vector256<float>>(rows, cols, a, lda, b, ldb, c, ldc, y, ldy); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: MulAdd<AdvSimdIsa, Vector128<float>>(rows, cols, a, lda, b, ldb, c, ldc, y, ldy); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: MulAdd<AdvSimdModelIsa, Vector128<float>>(rows, cols, a, lda, b, ldb, c, ldc, y, ldy); break;
            case KernelPath.Portable: MulAdd<PortableIsa, Vector128<float>>(rows, cols, a, lda, b, ldb, c, ldc, y, ldy); break;
            default: MulAdd<ScalarIsa, float>(rows, cols, a, lda, b, ldb, c, ldc, y, ldy); break;
        }
    }

    /// <summary>y[i] = a[i] + b[i], i &lt; n (contiguous).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(long n, float* a, float* b, float* y) => Add(KernelPaths.BestF32, n, a, b, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(KernelPath path, long n, float* a, float* b, float* y)
    {
        switch (path)
        {
            case KernelPath.Avx512: Add<Avx512Isa, Vector512<float>>(n, a, b, y); break;
            case KernelPath.Avx2: Add<Avx2Isa, Vector256<float>>(n, a, b, y); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Add<AdvSimdIsa, Vector128<float>>(n, a, b, y); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Add<AdvSimdModelIsa, Vector128<float>>(n, a, b, y); break;
            case KernelPath.Portable: Add<PortableIsa, Vector128<float>>(n, a, b, y); break;
            default: Add<ScalarIsa, float>(n, a, b, y); break;
        }
    }

    /// <summary>y[r, i] = x0[r, i] + α[r, i]·(x1[r, i] − x0[r, i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lerp(int rows, int cols, float* alpha, int lda, float* x1, int ld1, float* x0, int ld0, float* y, int ldy)
        => Lerp(KernelPaths.BestF32, rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lerp(KernelPath path, int rows, int cols, float* alpha, int lda, float* x1, int ld1, float* x0, int ld0, float* y, int ldy)
    {
        switch (path)
        {
            case KernelPath.Avx512: Lerp<Avx512Isa, Vector512<float>>(rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy); break;
            case KernelPath.Avx2: Lerp<Avx2Isa, Vector256<float>>(rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Lerp<AdvSimdIsa, Vector128<float>>(rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Lerp<AdvSimdModelIsa, Vector128<float>>(rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy); break;
            case KernelPath.Portable: Lerp<PortableIsa, Vector128<float>>(rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy); break;
            default: Lerp<ScalarIsa, float>(rows, cols, alpha, lda, x1, ld1, x0, ld0, y, ldy); break;
        }
    }

    private static void MulAdd<TIsa, TV>(int rows, int cols, float* a, int lda, float* b, int ldb, float* c, int ldc, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        // contiguous rows: one flat pass
        if (lda == cols && ldb == cols && (c == null || ldc == cols) && ldy == cols) { cols *= rows; rows = 1; }
        int L = TIsa.Lanes;
        for (int r = 0; r < rows; r++)
        {
            float* ar = a + (long)r * lda, br = b + (long)r * ldb, yr = y + (long)r * ldy;
            int i = 0;
            if (c == null)
            {
                for (; i <= cols - L; i += L) TIsa.Store(yr + i, TIsa.Mul(TIsa.Load(ar + i), TIsa.Load(br + i)));
                for (; i < cols; i++) yr[i] = ar[i] * br[i];
            }
            else
            {
                float* cr = c + (long)r * ldc;
                for (; i <= cols - L; i += L) TIsa.Store(yr + i, TIsa.Fma(TIsa.Load(cr + i), TIsa.Load(ar + i), TIsa.Load(br + i)));
                for (; i < cols; i++) yr[i] = MathF.FusedMultiplyAdd(ar[i], br[i], cr[i]);
            }
        }
    }

    private static void Add<TIsa, TV>(long n, float* a, float* b, float* y) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        long i = 0;
        for (; i <= n - L; i += L) TIsa.Store(y + i, TIsa.Add(TIsa.Load(a + i), TIsa.Load(b + i)));
        for (; i < n; i++) y[i] = a[i] + b[i];
    }

    private static void Lerp<TIsa, TV>(int rows, int cols, float* alpha, int lda, float* x1, int ld1, float* x0, int ld0, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        for (int r = 0; r < rows; r++)
        {
            float* ar = alpha + (long)r * lda, p1 = x1 + (long)r * ld1, p0 = x0 + (long)r * ld0, yr = y + (long)r * ldy;
            int i = 0;
            for (; i <= cols - L; i += L)
            {
                TV v0 = TIsa.Load(p0 + i);
                TIsa.Store(yr + i, TIsa.Fma(v0, TIsa.Load(ar + i), TIsa.Sub(TIsa.Load(p1 + i), v0)));
            }
            for (; i < cols; i++) yr[i] = MathF.FusedMultiplyAdd(ar[i], p1[i] - p0[i], p0[i]);
        }
    }
}

/// <summary>Scalar reference for <see cref="RowOpsF32"/>.</summary>
public static unsafe class RowOpsReference
{
    public static void MulAdd(int rows, int cols, float* a, int lda, float* b, int ldb, float* c, int ldc, float* y, int ldy)
    {
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < cols; i++)
                y[(long)r * ldy + i] = c == null ? a[(long)r * lda + i] * b[(long)r * ldb + i]
                    : (float)((double)a[(long)r * lda + i] * b[(long)r * ldb + i] + c[(long)r * ldc + i]);
    }

    public static void Add(long n, float* a, float* b, float* y)
    {
        for (long i = 0; i < n; i++) y[i] = a[i] + b[i];
    }

    public static void Lerp(int rows, int cols, float* alpha, int lda, float* x1, int ld1, float* x0, int ld0, float* y, int ldy)
    {
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < cols; i++)
            {
                double al = alpha[(long)r * lda + i];
                y[(long)r * ldy + i] = (float)(al * x1[(long)r * ld1 + i] + (1 - al) * x0[(long)r * ld0 + i]);
            }
    }
}
