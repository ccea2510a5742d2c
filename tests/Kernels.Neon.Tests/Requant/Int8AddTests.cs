using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Requant;

namespace EdgeRuntime.Kernels.Tests.Requant;

public unsafe class Int8AddTests
{
    public static TheoryData<KernelPath> Paths => TestData.Int8Paths;

    /// <summary>TFLite's QuantizeMultiplier: M in [2^30, 2^31), shift so that M·2^(shift−31) = m.</summary>
    private static (int M, int Shift) Multiplier(double m)
    {
        if (m == 0) return (0, 0);
        int e = (int)Math.Floor(Math.Log2(m)) + 1;  // m = q·2^e, q in [0.5, 1)
        double q = m / Math.Pow(2, e);
        long qf = (long)Math.Round(q * (1L << 31));
        if (qf == 1L << 31) { qf /= 2; e++; }
        return ((int)qf, e);
    }

    [Theory, MemberData(nameof(Paths))]
    public void BitExactWithReference(KernelPath path)
    {
        var r = new Random(77 + (int)path);
        for (int trial = 0; trial < (KernelPaths.IsModel(path) ? 8 : 50); trial++)
        {
            int n = r.Next(1, 100);
            double sa = 0.01 + r.NextDouble() * 0.1, sb = 0.01 + r.NextDouble() * 0.1, so = 0.02 + r.NextDouble() * 0.2;
            if (trial == 1) so = sa / 4; // output multiplier above one: left shift on the sum
            double twice = 2 * Math.Max(sa, sb);
            var (am, ash) = Multiplier(sa / twice);
            var (bm, bsh) = Multiplier(sb / twice);
            var (om, osh) = Multiplier(twice / ((1 << 20) * so));
            int lo = r.Next(-128, 0), hi = r.Next(0, 128);
            var p = new Int8AddParams(20, -r.Next(-128, 128), am, ash, -r.Next(-128, 128), bm, bsh, om, osh, r.Next(-128, 128), lo, hi);
            var a = TestData.RandomS8(r, n); var b = TestData.RandomS8(r, n);
            var want = new sbyte[n]; var got = new sbyte[n];
            fixed (sbyte* pa = a, pb = b, pw = want, pg = got)
            {
                Int8Add.Reference(n, pa, pb, pw, p);
                Int8Add.Run(path, n, pa, pb, pg, p);
                Assert.True(want.AsSpan().SequenceEqual(got), $"{KernelPaths.Name(path)} n={n} trial={trial}");
                Int8Add.Run(path, n, pa, pb, pa, p); // in place
                Assert.True(want.AsSpan().SequenceEqual(a), $"{KernelPaths.Name(path)} in place, trial={trial}");
            }
        }
    }

    [Fact]
    public void RejectsParametersOutsideTheirRanges()
    {
        var bad = new Int8AddParams(20, 0, 1 << 30, 31, 0, 1 << 30, 0, 1 << 30, 0, 0, -128, 127);
        Assert.Throws<ArgumentOutOfRangeException>(() => RunOne(bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunOne(bad with { AShift = 0, LeftShift = 30 }));
    }

    private static void RunOne(Int8AddParams p)
    {
        sbyte x = 0;
        Int8Add.Run(1, &x, &x, &x, p);
    }
}
