using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Pooling;

namespace EdgeRuntime.Kernels.Tests.Pooling;

public unsafe class PoolingTests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    [Theory, MemberData(nameof(Paths))]
    public void MaxAndAverageEqualReference(KernelPath path)
    {
        var r = new Random(41);
        foreach (var (h, w, c, k, s, pad) in new[] { (4, 4, 3, 2, 2, 0), (7, 6, 17, 3, 2, 1), (5, 9, 33, 3, 1, 1), (8, 8, 16, 8, 8, 0) })
        {
            int oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1;
            var x = TestData.RandomF(r, h * w * c);
            foreach (bool max in new[] { true, false })
            {
                var want = new float[oh * ow * c]; var got = new float[want.Length];
                fixed (float* px = x, pw = want, pg = got)
                {
                    if (max) { PoolingReference.MaxF32(1, h, w, c, px, k, k, s, s, pad, pad, oh, ow, pw); PoolingF32.Max(1, h, w, c, px, k, k, s, s, pad, pad, oh, ow, pg, path); }
                    else { PoolingReference.AverageF32(1, h, w, c, px, k, k, s, s, pad, pad, oh, ow, pw); PoolingF32.Average(1, h, w, c, px, k, k, s, s, pad, pad, oh, ow, pg, path); }
                }
                Assert.Equal(want, got);
            }
        }
    }

    [Fact]
    public void Int8AverageRoundsHalfAwayFromZero()
    {
        sbyte[] x = [1, 2, -1, -2]; // 1x2x2x1 -> mean of (1,2) = 1.5 -> 2 ; of (-1,-2) = -1.5 -> -2 using 1x2 windows
        var y = new sbyte[2];
        fixed (sbyte* px = x, py = y) PoolingReference.AverageInt8(1, 2, 2, 1, px, 1, 2, 1, 2, 0, 0, 2, 1, -128, 127, py);
        Assert.Equal([(sbyte)2, (sbyte)-2], y);
    }
}
