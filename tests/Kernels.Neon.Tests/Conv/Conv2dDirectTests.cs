using EdgeRuntime.Kernels.Conv;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Conv;

public unsafe class Conv2dDirectTests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    // (cin, cout, h, w, kh, kw, stride, dilation, pads t/l/b/r): widths below, at and above one vector,
    // channel counts that leave a partial MR tile, padding wider than the kernel's reach, asymmetric
    // kernels, strides 2 and 3 (column phases) with and without dilation.
    private static IEnumerable<(int cin, int cout, int h, int w, int kh, int kw, int s, int d, int pt, int pl, int pb, int pr)> Geometries(bool small)
    {
        yield return (1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
        yield return (3, 16, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1);
        yield return (2, 7, 5, 17, 3, 3, 1, 2, 2, 2, 2, 2);
        yield return (4, 13, 6, 16, 1, 3, 1, 1, 0, 1, 0, 1);
        yield return (5, 6, 7, 3, 3, 1, 1, 1, 0, 0, 0, 0);
        yield return (3, 8, 9, 11, 3, 3, 2, 1, 1, 1, 1, 1);
        yield return (5, 7, 10, 21, 3, 3, 2, 1, 0, 0, 1, 0);   // stride 2, even first padded column
        yield return (2, 6, 8, 30, 3, 5, 2, 1, 2, 2, 2, 2);
        if (!small)
        {
            yield return (16, 32, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1);
            yield return (3, 8, 33, 35, 5, 5, 1, 1, 2, 2, 2, 2);
            yield return (8, 19, 12, 31, 3, 3, 1, 3, 3, 3, 3, 3);
            yield return (6, 12, 10, 20, 2, 4, 1, 1, 0, 1, 1, 2);
            yield return (16, 24, 32, 32, 3, 3, 2, 1, 1, 1, 1, 1);
            yield return (4, 9, 23, 40, 5, 4, 3, 2, 2, 1, 0, 3);
        }
    }

    /// <summary>Stated bound: |Δ| ≤ 2·(taps+2)·2^-24·(Σ|x·w| + |bias|), with |x|, |w|, |bias| ≤ 1.</summary>
    [Theory, MemberData(nameof(Paths))]
    public void MatchesReferenceWithinBound(KernelPath path)
    {
        var r = new Random(31);
        foreach (var (cin, cout, h, w, kh, kw, st, d, pt, pl, pb, pr) in Geometries(KernelPaths.IsModel(path)))
        {
            int oh = (h + pt + pb - d * (kh - 1) - 1) / st + 1, ow = (w + pl + pr - d * (kw - 1) - 1) / st + 1;
            var x = TestData.RandomF(r, cin * h * w); var wt = TestData.RandomF(r, cout * cin * kh * kw); var bias = TestData.RandomF(r, cout);
            var packed = new float[Conv2dDirectF32.PackedLength(cout, cin, kh, kw)];
            Conv2dDirectF32.Pack(wt, cout, cin, kh, kw, packed);
            int ph = Conv2dDirectF32.PaddedHeight(oh, kh, d, st), pw = Conv2dDirectF32.PaddedWidth(ow, kw, d, st);
            var xp = new float[cin * ph * pw];
            var want = new float[cout * oh * ow]; var got = new float[want.Length + 1]; got[^1] = 7f;
            fixed (float* px = x, pwt = wt, pbias = bias, pk = packed, pxp = xp, pw_ = want, pg = got)
            {
                Conv2dReference.F32(cin, h, w, px, cout, kh, kw, pwt, pbias, st, st, d, d, pt, pl, oh, ow, pw_);
                Conv2dDirectF32.PadInput(px, cin, h, w, pt, pl, pxp, ph, pw, st);
                Conv2dDirectF32.Run(path, cin, cout, kh, kw, st, st, d, d, pxp, ph, pw, pk, pbias, oh, ow, pg);
            }
            int taps = cin * kh * kw;
            double tol = 2.0 * (taps + 2) * Math.Pow(2, -24) * (taps + 1);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(want[i] - got[i]) <= tol, $"{KernelPaths.Name(path)} {cin}->{cout} {h}x{w} k{kh}x{kw} s{st} d{d} at {i}: {got[i]} vs {want[i]}");
            Assert.Equal(7f, got[^1]);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void DepthwiseMatchesReferencePerChannel(KernelPath path)
    {
        var r = new Random(32);
        foreach (var (c, h, w, kh, kw, st, d, pt, pl) in new[] { (3, 9, 9, 3, 3, 1, 1, 1, 1), (5, 12, 37, 3, 3, 2, 1, 1, 1), (2, 7, 16, 5, 3, 1, 2, 4, 2), (1, 1, 5, 1, 3, 3, 1, 0, 1) })
        {
            int pb = pt, pr = pl;
            int oh = (h + pt + pb - d * (kh - 1) - 1) / st + 1, ow = (w + pl + pr - d * (kw - 1) - 1) / st + 1;
            var x = TestData.RandomF(r, c * h * w); var wt = TestData.RandomF(r, c * kh * kw); var bias = TestData.RandomF(r, c);
            int ph = Conv2dDirectF32.PaddedHeight(oh, kh, d, st), pw = Conv2dDirectF32.PaddedWidth(ow, kw, d, st);
            var xp = new float[c * ph * pw];
            var want = new float[c * oh * ow]; var got = new float[want.Length + 1]; got[^1] = 3f;
            fixed (float* px = x, pwt = wt, pbias = bias, pxp = xp, pw_ = want, pg = got)
            {
                for (int ch = 0; ch < c; ch++)
                    Conv2dReference.F32(1, h, w, px + ch * h * w, 1, kh, kw, pwt + ch * kh * kw, pbias + ch, st, st, d, d, pt, pl, oh, ow, pw_ + ch * oh * ow);
                Conv2dDirectF32.PadInput(px, c, h, w, pt, pl, pxp, ph, pw, st);
                Conv2dDirectF32.Depthwise(path, c, kh, kw, st, st, d, d, pxp, ph, pw, pwt, pbias, oh, ow, pg);
            }
            double tol = 2.0 * (kh * kw + 2) * Math.Pow(2, -24) * (kh * kw + 1);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(want[i] - got[i]) <= tol, $"{KernelPaths.Name(path)} c{c} {h}x{w} k{kh}x{kw} s{st} d{d} at {i}: {got[i]} vs {want[i]}");
            Assert.Equal(3f, got[^1]);
        }
    }

    [Fact]
    public void WithoutBiasStartsFromZero()
    {
        var x = new float[] { 1, 2, 3, 4 }; // 1 channel 2x2
        var w = new float[] { 1, 1, 1, 1 }; // 1 output, 2x2 kernel
        var packed = new float[Conv2dDirectF32.PackedLength(1, 1, 2, 2)];
        Conv2dDirectF32.Pack(w, 1, 1, 2, 2, packed);
        int ph = Conv2dDirectF32.PaddedHeight(1, 2, 1), pw = Conv2dDirectF32.PaddedWidth(1, 2, 1);
        var xp = new float[ph * pw]; var y = new float[1];
        fixed (float* px = x, pk = packed, pxp = xp, py = y)
        {
            Conv2dDirectF32.PadInput(px, 1, 2, 2, 0, 0, pxp, ph, pw);
            Conv2dDirectF32.Run(1, 1, 2, 2, 1, 1, 1, 1, pxp, ph, pw, pk, null, 1, 1, py);
        }
        Assert.Equal(10f, y[0]);
    }

    [Fact]
    public void PaddedInputTooSmallIsRefused()
    {
        var buf = new float[64];
        fixed (float* p = buf)
        {
            float* q = p;
            Assert.Throws<ArgumentOutOfRangeException>(() => Conv2dDirectF32.Run(1, 1, 3, 3, 1, 1, 1, 1, q, 2, 2, q, null, 4, 4, q));
            Assert.Throws<ArgumentOutOfRangeException>(() => Conv2dDirectF32.Run(1, 1, 1, 65, 1, 1, 1, 1, q, 1, 128, q, null, 1, 1, q));
        }
    }
}
