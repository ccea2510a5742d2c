using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Gemm;

public unsafe class GemmF32Tests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    /// <summary>Stated bound: |Δ| ≤ 2·(k+2)·2^-24·(Σ_p |a·b| + |bias| + |C0|) (different summation order, FMA).</summary>
    [Theory, MemberData(nameof(Paths))]
    public void RandomShapesWithinStatedBound(KernelPath path)
    {
        var r = new Random(42 + (int)path);
        int max = TestData.MaxDim(path);
        for (int trial = 0; trial < (KernelPaths.IsModel(path) ? 8 : 50); trial++)
        {
            int m = r.Next(1, max), n = r.Next(1, max), k = r.Next(0, max * 2);
            if (trial == 0 && !KernelPaths.IsModel(path)) { m = 13; n = 67; k = 300; } // crosses the KC=256 block
            int lda = k + r.Next(0, 3), ldb = n + r.Next(0, 3), ldc = n + r.Next(0, 3);
            bool acc = trial % 2 == 1, useBias = trial % 3 != 0;
            var a = TestData.RandomF(r, m * lda + 1);
            var b = TestData.RandomF(r, k * ldb + 1);
            var bias = TestData.RandomF(r, n);
            var c0 = TestData.RandomF(r, m * ldc + 8);
            var want = (float[])c0.Clone();
            var got = (float[])c0.Clone();
            fixed (float* pa = a, pb = b, pbias = bias, pw = want, pg = got)
            {
                GemmReference.F32(m, n, k, pa, lda, pb, ldb, pw, ldc, useBias ? pbias : null, acc);
                GemmF32.Run(path, m, n, k, pa, lda, pb, ldb, pg, ldc, useBias ? pbias : null, acc);
            }
            for (int i = 0; i < m; i++)
                for (int j = 0; j < ldc; j++)
                {
                    int idx = i * ldc + j;
                    if (j >= n) { Assert.Equal(c0[idx], got[idx]); continue; } // padding untouched
                    double scale = (acc ? Math.Abs(c0[idx]) : 0) + (useBias ? Math.Abs(bias[j]) : 0);
                    for (int p = 0; p < k; p++) scale += Math.Abs(a[i * lda + p] * b[p * ldb + j]);
                    double tol = 2.0 * (k + 2) * Math.Pow(2, -24) * scale + 1e-30;
                    Assert.True(Math.Abs(got[idx] - want[idx]) <= tol, $"{KernelPaths.Name(path)} m={m} n={n} k={k} at ({i},{j}): {got[idx]} vs {want[idx]}");
                }
            Assert.Equal(c0[^1], got[^1]); // guard after C
        }
    }

    [Fact]
    public void PinnedEntryPointMatchesReferenceOnExactIntegers()
    {
        // small integers: every path is exact, so results must equal the reference bit for bit
        const int m = 7, n = 19, k = 33;
        var r = new Random(5);
        var a = new float[m * k]; var b = new float[k * n];
        for (int i = 0; i < a.Length; i++) a[i] = r.Next(-4, 5);
        for (int i = 0; i < b.Length; i++) b[i] = r.Next(-4, 5);
        var want = new float[m * n]; var got = new float[m * n];
        fixed (float* pa = a, pb = b, pw = want, pg = got)
        {
            GemmReference.F32(m, n, k, pa, k, pb, n, pw, n);
            GemmF32.Run(m, n, k, pa, k, pb, n, pg, n);
        }
        Assert.Equal(want, got);
    }
}
