using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Int8;

public unsafe class Int8GemmTests
{
    public static TheoryData<KernelPath> Paths => TestData.Int8Paths;

    [Theory, MemberData(nameof(Paths))]
    public void RandomShapesAreBitExactWithReference(KernelPath path)
    {
        var r = new Random(1234 + (int)path);
        int max = TestData.MaxDim(path);
        for (int trial = 0; trial < (KernelPaths.IsModel(path) ? 12 : 60); trial++)
        {
            int m = r.Next(1, max), n = r.Next(1, max), k = r.Next(0, 2 * max);
            if (trial == 0) { m = 1; n = 1; k = 0; }
            if (trial == 1) { m = 3; n = 5; k = 64 + 15; }
            int lda = k + r.Next(0, 3), ldb = k + r.Next(0, 3), ldc = n + r.Next(0, 3);
            bool sym = trial % 2 == 0;
            var a = TestData.RandomS8(r, m * lda + 1);
            var b = TestData.RandomS8(r, n * ldb + 1, noMin: sym);
            if (trial % 5 == 0) { Array.Fill(a, (sbyte)-128); if (!sym) Array.Fill(b, (sbyte)-128); } // extreme products
            var bias = TestData.RandomI(r, n, -100000, 100000);
            int off = trial % 3 == 0 ? 0 : r.Next(-128, 128);
            var want = new int[m * ldc + 4];
            var got = new int[m * ldc + 4];
            got.AsSpan().Fill(0x5a5a5a5a); want.AsSpan().Fill(0x5a5a5a5a);
            bool useBias = trial % 4 != 1;
            fixed (sbyte* pa = a, pb = b) fixed (int* pc = got, pw = want, pbias = bias)
            {
                Int8GemmReference.Run(m, n, k, pa, lda, pb, ldb, pw, ldc, useBias ? pbias : null, off);
                Int8Gemm.Run(path, m, n, k, pa, lda, pb, ldb, pc, ldc, useBias ? pbias : null, off, sym);
            }
            Assert.True(want.AsSpan().SequenceEqual(got), $"{KernelPaths.Name(path)} m={m} n={n} k={k} off={off} sym={sym}: mismatch at {want.AsSpan().CommonPrefixLength(got)}");
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void GemvMatchesReference(KernelPath path)
    {
        var r = new Random(77);
        foreach (int rows in new[] { 1, 7, 8, 33 })
            foreach (int cols in new[] { 1, 15, 16, 17, 64, 129 })
            {
                if (KernelPaths.IsModel(path) && cols > 64) continue;
                var w = TestData.RandomS8(r, rows * cols);
                var x = TestData.RandomS8(r, cols);
                var bias = TestData.RandomI(r, rows, -1000, 1000);
                var want = new int[rows]; var got = new int[rows];
                fixed (sbyte* pw = w, px = x) fixed (int* py = got, pr = want, pb = bias)
                {
                    Int8Gemv.Reference(rows, cols, pw, px, pr, pb, 5);
                    Int8Gemv.Run(path, rows, cols, pw, px, py, pb, 5);
                }
                Assert.Equal(want, got);
            }
    }

    [Fact]
    public void ReferenceMatchesHandComputedValues()
    {
        sbyte[] a = [1, 2, 3, -128];       // 1×4
        sbyte[] b = [1, 1, 1, 1, -1, 0, 2, -128]; // 2×4
        int[] bias = [10, -10];
        var c = new int[2];
        fixed (sbyte* pa = a, pb = b) fixed (int* pc = c, pbias = bias)
            Int8GemmReference.Run(1, 2, 4, pa, 4, pb, 4, pc, 2, pbias, aOffset: 1);
        // (2+3+4-127)+10 = -108 ; (-2*1 + 0 + 4*2 + -127*-128) - 10 = 16256 + 6 - 10
        Assert.Equal([-108, 16252], c);
    }
}
