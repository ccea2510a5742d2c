using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Requant;

namespace EdgeRuntime.Kernels.Tests.Requant;

public unsafe class RequantizeTests
{
    public static TheoryData<KernelPath> Paths => TestData.Int8Paths;

    [Theory, MemberData(nameof(Paths))]
    public void BothRoundingsAreBitExactWithReference(KernelPath path)
    {
        var r = new Random(99 + (int)path);
        foreach (var mode in new[] { RoundingMode.Single, RoundingMode.Double })
            for (int trial = 0; trial < (KernelPaths.IsModel(path) ? 6 : 40); trial++)
            {
                int rows = r.Next(1, 5), ch = r.Next(1, 70);
                bool perChannel = trial % 3 != 0;
                var acc = TestData.RandomI(r, rows * ch, int.MinValue, int.MaxValue);
                for (int i = 0; i < acc.Length; i++)
                    if (i % 3 == 0) acc[i] >>= r.Next(0, 31); // mix magnitudes
                    else if (i % 7 == 0) acc[i] = r.Next(-4, 4) * (1 << r.Next(0, 20)); // exact ties
                if (trial == 1) { acc[0] = int.MinValue; acc[^1] = int.MaxValue; }
                var mult = TestData.RandomI(r, ch, 1 << 30, int.MaxValue);
                var shift = TestData.RandomI(r, ch, -31, 31);
                if (trial == 2) { mult[0] = int.MinValue + 1 + int.MaxValue; shift[0] = 30; } // M = 0
                if (mode == RoundingMode.Double && trial == 3) { mult[0] = int.MaxValue; shift[0] = 0; }
                int off = r.Next(-128, 128);
                int lo = r.Next(-128, 0), hi = r.Next(0, 128);
                var want = new sbyte[rows * ch]; var got = new sbyte[rows * ch];
                fixed (int* pa = acc, pm = mult, ps = shift) fixed (sbyte* pw = want, pg = got)
                {
                    RequantizeReference.Run(rows, ch, pa, pw, pm, ps, off, lo, hi, mode, perChannel);
                    Requantize.Run(path, rows, ch, pa, pg, pm, ps, off, lo, hi, mode, perChannel);
                }
                Assert.True(want.AsSpan().SequenceEqual(got), $"{KernelPaths.Name(path)} {mode} ch={ch} trial={trial}");
            }
    }

    [Fact]
    public void ReferenceRoundingMatchesTheTfliteFormulas()
    {
        // single: (acc*M + 2^(30-shift)) >> (31-shift); M = 2^30 (0.5), shift 0: 3 -> 1.5 -> 2 (half up), -3 -> -1.5 -> -1
        Assert.Equal(2, RequantizeReference.Scale(3, 1 << 30, 0, RoundingMode.Single));
        Assert.Equal(-1, RequantizeReference.Scale(-3, 1 << 30, 0, RoundingMode.Single));
        // double: SRDHM(3, 2^30): 1.5 -> 2; SRDHM(-3, 2^30): -1.5 -> -1 (gemmlowp's nudge truncates toward
        // zero, so ties go up, exactly like SQRDMULH); the shift step then rounds half away from zero:
        // acc=-3, M=2^30, shift=-1: SRDHM = -1 (from -1.5), then -1/2 = -0.5 -> -1.
        Assert.Equal(2, RequantizeReference.Scale(3, 1 << 30, 0, RoundingMode.Double));
        Assert.Equal(-1, RequantizeReference.Scale(-3, 1 << 30, 0, RoundingMode.Double));
        Assert.Equal(-1, RequantizeReference.Scale(-3, 1 << 30, -1, RoundingMode.Double));
        Assert.Equal(1, RequantizeReference.Scale(3, 1 << 30, -1, RoundingMode.Double)); // 2/2 = 1
        // RoundingDivideByPOT: -5 / 2 = -2.5 -> -3 ; 5/2 -> 3 ; -6/4 = -1.5 -> -2
        Assert.Equal(-3, RequantizeReference.RoundingDivideByPOT(-5, 1));
        Assert.Equal(3, RequantizeReference.RoundingDivideByPOT(5, 1));
        Assert.Equal(-2, RequantizeReference.RoundingDivideByPOT(-6, 2));
        Assert.Equal(int.MaxValue, RequantizeReference.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
    }

    [Fact]
    public void RejectsOutOfRangeShift()
    {
        var ex = Record.Exception(() =>
        {
            int acc = 0, m = 1 << 30, s = 31; sbyte d;
            Requantize.Run(1, 1, &acc, &d, &m, &s, 0, -128, 127, RoundingMode.Single);
        });
        Assert.IsType<ArgumentOutOfRangeException>(ex);
    }
}
