using System.Numerics;
using EdgeRuntime.Operators.Tflite;

namespace EdgeRuntime.Tests.Operators.Tflite;

public class FixedPointTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.0012345)]
    [InlineData(1.75)]
    [InlineData(3.1e-7)]
    public void QuantizedMultiplierReconstructsTheRealValue(double real)
    {
        var (m, shift) = FixedPoint.QuantizeMultiplier(real);
        Assert.InRange(m, 1 << 30, int.MaxValue);
        double back = m * Math.Pow(2, shift - 31);
        Assert.True(Math.Abs(back - real) <= real * Math.Pow(2, -30), $"{back} vs {real}");
    }

    [Fact]
    public void SingleRoundingIsTheReadmeFormulaExactly()
    {
        var rng = new Random(7);
        for (int i = 0; i < 20000; i++)
        {
            int acc = rng.Next(int.MinValue / 4, int.MaxValue / 4);
            var (m, shift) = FixedPoint.QuantizeMultiplier(Math.Exp(-rng.NextDouble() * 15));
            // (acc·M + 2^(30−shift)) >> (31−shift) = floor((acc·M + 2^(30−shift)) / 2^(31−shift)), in exact integers
            var num = new BigInteger(acc) * m + BigInteger.Pow(2, 30 - shift);
            var den = BigInteger.Pow(2, 31 - shift);
            var q = BigInteger.DivRem(num, den, out var rem);
            if (rem.Sign < 0) q -= 1;
            Assert.Equal((int)q, FixedPoint.MultiplySingleRounding(acc, m, shift));
        }
    }

    [Fact]
    public void RoundingDivideByPowerOfTwoRoundsHalfAwayFromZero()
    {
        for (int x = -1000; x <= 1000; x++)
            for (int e = 0; e < 6; e++)
                Assert.Equal((int)Math.Round(x / Math.Pow(2, e), MidpointRounding.AwayFromZero), FixedPoint.RoundingDivideByPot(x, e));
    }

    [Fact]
    public void DoubleRoundingIsWithinOneOfTheExactProduct()
    {
        var rng = new Random(3);
        for (int i = 0; i < 20000; i++)
        {
            int acc = rng.Next(-1 << 24, 1 << 24);
            double real = Math.Exp(-rng.NextDouble() * 12);
            var (m, shift) = FixedPoint.QuantizeMultiplier(real);
            double exact = acc * (m * Math.Pow(2, shift - 31));
            Assert.InRange(FixedPoint.MultiplyDoubleRounding(acc, m, shift), Math.Floor(exact) - 0, Math.Ceiling(exact) + 0);
        }
    }
}
