using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Pooling;

namespace EdgeRuntime.Kernels.Tests.Pooling;

public unsafe class PlanePoolingTests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    [Theory, MemberData(nameof(Paths))]
    public void MaxEqualsTheReferenceOnOneChannelPlanes(KernelPath path)
    {
        var r = new Random(41);
        // (h, w, k, s, pad): the common 2x2/2, overlapping 3x3/2 with padding, 1-row windows, widths around a vector.
        foreach (var (h, w, kh, kw, s, pt, pl) in new[] { (32, 32, 2, 2, 2, 0, 0), (9, 17, 3, 3, 2, 1, 1), (1, 37, 1, 3, 1, 0, 1),
                                                          (7, 16, 3, 2, 1, 1, 0), (5, 5, 5, 5, 1, 2, 2), (6, 33, 2, 3, 3, 0, 2) })
        {
            int oh = (h + 2 * pt - kh) / s + 1, ow = (w + 2 * pl - kw) / s + 1;
            const int planes = 3;
            var x = TestData.RandomF(r, planes * h * w);
            var want = new float[planes * oh * ow]; var got = new float[want.Length + 1]; got[^1] = 5f;
            var row = new float[w];
            fixed (float* px = x, pw = want, pg = got, pr = row)
            {
                PoolingReference.MaxF32(planes, h, w, 1, px, kh, kw, s, s, pt, pl, oh, ow, pw);
                PlanePoolingF32.Max(planes, h, w, px, kh, kw, s, s, pt, pl, oh, ow, pg, pr, path);
            }
            Assert.Equal(want, got[..^1]);
            Assert.Equal(5f, got[^1]);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void MeanIsWithinItsBound(KernelPath path)
    {
        var r = new Random(42);
        foreach (int size in new[] { 1, 15, 16, 64, 257, 1024 })
        {
            var x = TestData.RandomF(r, 4 * size);
            var got = new float[4];
            fixed (float* px = x, pg = got) PlanePoolingF32.Mean(4, size, px, pg, path);
            for (int p = 0; p < 4; p++)
            {
                double exact = 0, abs = 0;
                for (int i = 0; i < size; i++) { exact += x[p * size + i]; abs += Math.Abs(x[p * size + i]); }
                Assert.True(Math.Abs(got[p] - exact / size) <= 2.0 * size * Math.Pow(2, -24) * abs / size + 1e-12, $"{KernelPaths.Name(path)} size {size}");
            }
        }
    }
}
