using EdgeRuntime.Kernels.Conv;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Conv;

public unsafe class DepthwiseConvTests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    private static IEnumerable<(int h, int w, int c, int k, int s, int d, int pad)> Geometries(bool small)
    {
        yield return (5, 6, 3, 3, 1, 1, 1);
        yield return (7, 5, 17, 3, 2, 1, 1);
        yield return (8, 8, 16, 3, 1, 2, 2);
        yield return (6, 9, 33, 5, 1, 1, 2);
        if (!small) { yield return (16, 12, 67, 3, 1, 1, 1); yield return (9, 9, 8, 1, 1, 1, 0); yield return (10, 7, 35, 3, 3, 1, 0); }
    }

    private static int Out(int i, int k, int s, int d, int pad) => (i + 2 * pad - d * (k - 1) - 1) / s + 1;

    /// <summary>Stated bound: |Δ| ≤ 2·(taps+2)·2^-24·(Σ|x·w| + |bias|).</summary>
    [Theory, MemberData(nameof(Paths))]
    public void F32MatchesReferenceWithinBound(KernelPath path)
    {
        var r = new Random(21);
        foreach (var (h, w, c, k, s, d, pad) in Geometries(KernelPaths.IsModel(path)))
        {
            int oh = Out(h, k, s, d, pad), ow = Out(w, k, s, d, pad);
            var x = TestData.RandomF(r, 2 * h * w * c); var f = TestData.RandomF(r, k * k * c); var bias = TestData.RandomF(r, c);
            var want = new float[2 * oh * ow * c]; var got = new float[want.Length + 1]; got[^1] = 7f;
            fixed (float* px = x, pf = f, pb = bias, pw = want, pg = got)
            {
                DepthwiseConvReference.F32(2, h, w, c, px, k, k, pf, pb, s, s, d, d, pad, pad, oh, ow, pw);
                DepthwiseConvF32.Run(path, 2, h, w, c, px, k, k, pf, pb, s, s, d, d, pad, pad, oh, ow, pg);
            }
            double tol = 2.0 * (k * k + 2) * Math.Pow(2, -24) * (k * k + 1); // |x|,|w|,|b| <= 1
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= tol, $"{KernelPaths.Name(path)} {h}x{w}x{c} k{k} s{s} d{d} at {i}");
            Assert.Equal(7f, got[^1]);
        }
    }

    [Fact]
    public void Int8IsBitExactWithReference()
    {
        var r = new Random(22);
        foreach (var (h, w, c, k, s, d, pad) in Geometries(false))
            foreach (int off in new[] { 0, 128, -127 })
            {
                int oh = Out(h, k, s, d, pad), ow = Out(w, k, s, d, pad);
                var x = TestData.RandomS8(r, h * w * c); var f = TestData.RandomS8(r, k * k * c); var bias = TestData.RandomI(r, c, -9999, 9999);
                var want = new int[oh * ow * c]; var got = new int[want.Length];
                fixed (sbyte* px = x, pf = f) fixed (int* pb = bias, pw = want, pg = got)
                {
                    DepthwiseConvReference.Int8(1, h, w, c, px, off, k, k, pf, pb, s, s, d, d, pad, pad, oh, ow, pw);
                    DepthwiseConvInt8.Run(1, h, w, c, px, off, k, k, pf, pb, s, s, d, d, pad, pad, oh, ow, pg);
                }
                Assert.Equal(want, got);
            }
    }

    [Fact]
    public void PackingFromChannelFirstMovesEachTap()
    {
        float[] src = [1, 2, 3, 4, 5, 6, 7, 8]; // C=2, 2x2: c0 = 1..4, c1 = 5..8
        var dst = new float[8];
        DepthwiseConvPacking.FromChannelFirst<float>(src, 2, 2, 2, dst);
        Assert.Equal([1f, 5, 2, 6, 3, 7, 4, 8], dst);
    }
}
