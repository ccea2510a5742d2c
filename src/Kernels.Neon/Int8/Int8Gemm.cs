using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Int8;

/// <summary>int8 GEMM with int32 accumulation (fully connected, 1×1 / im2col convolution).
/// <para>C[i,j] = bias[j] + Σ_k (A[i,k] + aOffset)·B[j,k], wrapping mod 2^32; bit-exact with
/// <see cref="Int8GemmReference"/> on every path. A: m×k activations (row stride lda). B: n×k weights,
/// one row per output channel (TFLite FULLY_CONNECTED / CONV_2D OHWI layout, row stride ldb). C: m×n
/// (row stride ldc). aOffset is TFLite's input_offset (= −input zero point). Weights are symmetric in TFLite
/// (zero point 0), so there is no B offset.</para>
/// <para>Aliasing: C must not overlap A, B or bias. No allocation; no checks inside the loops.</para>
/// <para>Paths: SDOT (ARMv8.2 dotprod, <c>Dp.IsSupported</c>), SMULL/SMLAL2/SADALP (ARMv8.0), AVX-VNNI,
/// AVX-512BW and AVX2 (VPMADDWD on sign-extended bytes), portable Vector128 and scalar.</para></summary>
public static unsafe class Int8Gemm
{
    /// <summary>Run on the fastest path of this machine (<see cref="KernelPaths.BestInt8"/>).</summary>
    /// <param name="weightsSymmetric">Promise that B contains no −128 (TFLite int8 weights are in [−127, 127]).
    /// The ARMv8.0 path then accumulates two products per int16 lane (SMULL + SMLAL2) before SADALP.
    /// Results are only guaranteed when the promise holds.</param>
    public static void Run(int m, int n, int k, sbyte* a, int lda, sbyte* b, int ldb, int* c, int ldc,
        int* bias = null, int aOffset = 0, bool weightsSymmetric = false)
        => Run(KernelPaths.BestInt8, m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset, weightsSymmetric);

    /// <summary>Run on an explicit path (tests, selftest, bench). Throws when the path cannot run here.</summary>
    public static void Run(KernelPath path, int m, int n, int k, sbyte* a, int lda, sbyte* b, int ldb, int* c, int ldc,
        int* bias = null, int aOffset = 0, bool weightsSymmetric = false)
    {
        Validate(m, n, k, lda, ldb, ldc);
        if (m == 0 || n == 0) return;
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"int8 GEMM path {KernelPaths.Name(path)} is not supported on this machine");
        switch (path)
        {
            case KernelPath.Portable: Neon<PortableIsa>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset, weightsSymmetric); break;
            case KernelPath.AdvSimd: Neon<AdvSimdIsa>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset, weightsSymmetric); break;
            case KernelPath.AdvSimdDp: Neon<AdvSimdDpIsa>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset, weightsSymmetric); break;
            case KernelPath.NeonModel: Neon<AdvSimdModelIsa>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset, weightsSymmetric); break;
            case KernelPath.NeonDpModel: Neon<AdvSimdDpModelIsa>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset, weightsSymmetric); break;
            case KernelPath.Avx2: Wide<Avx2Isa, Vector256<short>, Vector256<int>>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset); break;
            case KernelPath.Avx512: Wide<Avx512Isa, Vector512<short>, Vector512<int>>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset); break;
            case KernelPath.AvxVnni: Wide<AvxVnniIsa, Vector256<byte>, Vector256<int>>(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset); break;
            default: Int8GemmReference.Run(m, n, k, a, lda, b, ldb, c, ldc, bias, aOffset); break;
        }
    }

    private static void Validate(int m, int n, int k, int lda, int ldb, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"int8 GEMM: negative size m={m} n={n} k={k}");
        if (lda < k || ldb < k || ldc < n) throw new ArgumentOutOfRangeException(nameof(lda), $"int8 GEMM: strides lda={lda} ldb={ldb} must be >= k={k}, ldc={ldc} >= n={n}");
    }

    /// <summary>Σ_k B[j,k] over [from, to) for one weight row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int RowSum(sbyte* b, int from, int to)
    {
        int s = 0, p = from;
        if (Vector128.IsHardwareAccelerated)
        {
            var acc = Vector128<int>.Zero;
            for (; p <= to - 16; p += 16)
            {
                var (l, h) = Vector128.Widen(Vector128.Load(b + p));
                var (l0, l1) = Vector128.Widen(l + h);
                acc += l0 + l1;
            }
            s = Vector128.Sum(acc);
        }
        for (; p < to; p++) s += b[p];
        return s;
    }

    /// <summary>The NEON-shaped kernel, written once: 1 row × 4 columns per tile, 16 bytes of K per step;
    /// SDOT when <c>TIsa.HasDot</c>, else SMULL(+SMLAL2 or SMULL2)+SADALP; ADDP tree for the reduction.</summary>
    internal static void Neon<TIsa>(int m, int n, int k, sbyte* a, int lda, sbyte* b, int ldb, int* c, int ldc,
        int* bias, int aOffset, bool fuse) where TIsa : struct, IIsa
    {
        int kv = k & ~15;
        int j = 0;
        for (; j <= n - 4; j += 4)
        {
            sbyte* b0 = b + (long)j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            var extra = Vector128<int>.Zero;
            if (bias != null) extra = Vector128.Load(bias + j);
            if (aOffset != 0)
                extra += Vector128.Create(RowSum(b0, 0, k), RowSum(b1, 0, k), RowSum(b2, 0, k), RowSum(b3, 0, k)) * aOffset;
            for (int i = 0; i < m; i++)
            {
                sbyte* ai = a + (long)i * lda;
                Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int p = 0; p < kv; p += 16)
                {
                    var va = Vector128.Load(ai + p);
                    s0 = Step<TIsa>(s0, va, Vector128.Load(b0 + p), fuse);
                    s1 = Step<TIsa>(s1, va, Vector128.Load(b1 + p), fuse);
                    s2 = Step<TIsa>(s2, va, Vector128.Load(b2 + p), fuse);
                    s3 = Step<TIsa>(s3, va, Vector128.Load(b3 + p), fuse);
                }
                var r = TIsa.Addp(TIsa.Addp(s0, s1), TIsa.Addp(s2, s3));
                if (kv < k)
                {
                    int t0 = 0, t1 = 0, t2 = 0, t3 = 0;
                    for (int p = kv; p < k; p++)
                    {
                        int x = ai[p];
                        t0 += x * b0[p]; t1 += x * b1[p]; t2 += x * b2[p]; t3 += x * b3[p];
                    }
                    r = TIsa.Add(r, Vector128.Create(t0, t1, t2, t3));
                }
                TIsa.Add(r, extra).Store(c + (long)i * ldc + j);
            }
        }
        for (; j < n; j++)
        {
            sbyte* bj = b + (long)j * ldb;
            int extra = (bias != null ? bias[j] : 0) + (aOffset != 0 ? aOffset * RowSum(bj, 0, k) : 0);
            for (int i = 0; i < m; i++)
            {
                sbyte* ai = a + (long)i * lda;
                Vector128<int> s = default;
                for (int p = 0; p < kv; p += 16) s = Step<TIsa>(s, Vector128.Load(ai + p), Vector128.Load(bj + p), fuse);
                int t = TIsa.Addv(s);
                for (int p = kv; p < k; p++) t += ai[p] * bj[p];
                c[(long)i * ldc + j] = unchecked(t + extra);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Step<TIsa>(Vector128<int> acc, Vector128<sbyte> a, Vector128<sbyte> b, bool fuse) where TIsa : struct, IIsa
    {
        if (TIsa.HasDot) return TIsa.Sdot(acc, a, b);
        var lo = TIsa.Smull(a, b);
        if (fuse) return TIsa.Sadalp(acc, TIsa.Smlal2(lo, a, b)); // |2 products| <= 2·128·127 fits int16
        return TIsa.Sadalp(TIsa.Sadalp(acc, lo), TIsa.Smull2(a, b));
    }

    /// <summary>The x86 wide kernel, written once over <see cref="IInt8WideIsa{TA,TV}"/>: 2 rows × 4 columns
    /// per tile, each A load widened (or biased) once and reused by the four columns.</summary>
    internal static void Wide<TIsa, TA, TV>(int m, int n, int k, sbyte* a, int lda, sbyte* b, int ldb, int* c, int ldc,
        int* bias, int aOffset) where TIsa : struct, IInt8WideIsa<TA, TV> where TA : struct where TV : struct
    {
        int step = TIsa.BytesPerStep;
        int kv = k - k % step;
        int* corr = stackalloc int[4];
        int* r0 = stackalloc int[8];
        sbyte** bs = stackalloc sbyte*[4];
        int j = 0;
        for (; j < n; j += 4)
        {
            int cols = Math.Min(4, n - j);
            sbyte* b0 = b + (long)j * ldb;
            sbyte* b1 = cols > 1 ? b0 + ldb : b0, b2 = cols > 2 ? b0 + 2L * ldb : b0, b3 = cols > 3 ? b0 + 3L * ldb : b0;
            bs[0] = b0; bs[1] = b1; bs[2] = b2; bs[3] = b3;
            for (int t = 0; t < 4; t++)
            {
                int v = bias != null && t < cols ? bias[j + t] : 0;
                if (aOffset != 0) v += aOffset * RowSum(bs[t], 0, k);
                if (TIsa.NeedsColumnSums) v -= 128 * RowSum(bs[t], 0, kv);
                corr[t] = v;
            }
            int i = 0;
            for (; i <= m - 2; i += 2)
            {
                sbyte* a0 = a + (long)i * lda, a1 = a0 + lda;
                TV s00 = TIsa.IntZero, s01 = TIsa.IntZero, s02 = TIsa.IntZero, s03 = TIsa.IntZero;
                TV s10 = TIsa.IntZero, s11 = TIsa.IntZero, s12 = TIsa.IntZero, s13 = TIsa.IntZero;
                for (int p = 0; p < kv; p += step)
                {
                    TA x0 = TIsa.LoadA(a0 + p), x1 = TIsa.LoadA(a1 + p);
                    s00 = TIsa.Dot(s00, x0, b0 + p); s10 = TIsa.Dot(s10, x1, b0 + p);
                    s01 = TIsa.Dot(s01, x0, b1 + p); s11 = TIsa.Dot(s11, x1, b1 + p);
                    s02 = TIsa.Dot(s02, x0, b2 + p); s12 = TIsa.Dot(s12, x1, b2 + p);
                    s03 = TIsa.Dot(s03, x0, b3 + p); s13 = TIsa.Dot(s13, x1, b3 + p);
                }
                r0[0] = TIsa.SumInt(s00); r0[1] = TIsa.SumInt(s01); r0[2] = TIsa.SumInt(s02); r0[3] = TIsa.SumInt(s03);
                r0[4] = TIsa.SumInt(s10); r0[5] = TIsa.SumInt(s11); r0[6] = TIsa.SumInt(s12); r0[7] = TIsa.SumInt(s13);
                for (int t = 0; t < cols; t++)
                {
                    int u0 = r0[t] + corr[t], u1 = r0[4 + t] + corr[t];
                    sbyte* bt = bs[t];
                    for (int p = kv; p < k; p++) { u0 += a0[p] * bt[p]; u1 += a1[p] * bt[p]; }
                    c[(long)i * ldc + j + t] = u0;
                    c[(long)(i + 1) * ldc + j + t] = u1;
                }
            }
            for (; i < m; i++)
            {
                sbyte* a0 = a + (long)i * lda;
                TV s0 = TIsa.IntZero, s1 = TIsa.IntZero, s2 = TIsa.IntZero, s3 = TIsa.IntZero;
                for (int p = 0; p < kv; p += step)
                {
                    TA x0 = TIsa.LoadA(a0 + p);
                    s0 = TIsa.Dot(s0, x0, b0 + p); s1 = TIsa.Dot(s1, x0, b1 + p);
                    s2 = TIsa.Dot(s2, x0, b2 + p); s3 = TIsa.Dot(s3, x0, b3 + p);
                }
                r0[0] = TIsa.SumInt(s0); r0[1] = TIsa.SumInt(s1); r0[2] = TIsa.SumInt(s2); r0[3] = TIsa.SumInt(s3);
                for (int t = 0; t < cols; t++)
                {
                    int u = r0[t] + corr[t];
                    sbyte* bt = bs[t];
                    for (int p = kv; p < k; p++) u += a0[p] * bt[p];
                    c[(long)i * ldc + j + t] = u;
                }
            }
        }
    }
}
