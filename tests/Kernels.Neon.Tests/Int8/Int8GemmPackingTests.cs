using EdgeRuntime.Kernels.Int8;

namespace EdgeRuntime.Kernels.Tests.Int8;

public unsafe class Int8GemmPackingTests
{
    [Fact]
    public void FoldedOffsetGivesTheSameResult()
    {
        var r = new Random(8);
        const int m = 5, n = 11, k = 37;
        var a = TestData.RandomS8(r, m * k); var b = TestData.RandomS8(r, n * k, noMin: true);
        var bias = TestData.RandomI(r, n, -500, 500);
        var folded = new int[n]; var want = new int[m * n]; var got = new int[m * n];
        fixed (sbyte* pa = a, pb = b) fixed (int* pbias = bias, pf = folded, pw = want, pg = got)
        {
            Assert.True(Int8GemmPacking.IsSymmetric(n, k, pb, k));
            Int8GemmPacking.FoldInputOffset(n, k, pb, k, pbias, 77, pf);
            Int8GemmReference.Run(m, n, k, pa, k, pb, k, pw, n, pbias, 77);
            Int8Gemm.Run(m, n, k, pa, k, pb, k, pg, n, pf, 0, weightsSymmetric: true);
            b[3] = -128;
            fixed (sbyte* pb2 = b) Assert.False(Int8GemmPacking.IsSymmetric(n, k, pb2, k));
        }
        Assert.Equal(want, got);
    }
}
