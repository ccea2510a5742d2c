using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

public class LatencyHistogramTests
{
    [Fact]
    public void BucketsAreContiguousAndIndexingIsConsistent()
    {
        long expectedLow = 0;
        for (int i = 0; i < LatencyHistogram.BucketCount; i++)
        {
            var (low, width) = LatencyHistogram.BucketRange(i);
            Assert.Equal(expectedLow, low);
            Assert.Equal(i, LatencyHistogram.IndexOf(low));
            Assert.Equal(i, LatencyHistogram.IndexOf(low + width - 1));
            // Relative width never exceeds 1/32.
            if (low >= 32) Assert.True(width * 32 <= low, $"bucket {i} too wide");
            expectedLow = low + width;
            if (expectedLow > (1L << 50)) break;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PercentilesAreWithinTheBucketBoundOfTheExactValue(int seed)
    {
        var rnd = new Random(seed);
        var h = new LatencyHistogram();
        var values = new long[100_000];
        for (int i = 0; i < values.Length; i++)
        {
            // Log-normal around 20 us with a long tail, plus rare 5 ms outliers.
            double g = Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
            long v = (long)(20_000 * Math.Exp(0.6 * g));
            if (rnd.Next(2000) == 0) v = 5_000_000 + rnd.Next(1_000_000);
            values[i] = v;
            h.Record(v);
        }
        Array.Sort(values);
        foreach (double q in new[] { 0.0, 0.5, 0.9, 0.99, 0.999, 1.0 })
        {
            long exact = values[Math.Clamp((int)Math.Ceiling(q * values.Length) - 1, 0, values.Length - 1)];
            long est = h.Percentile(q);
            double rel = Math.Abs(est - exact) / (double)exact;
            Assert.True(rel <= 1.0 / 32, $"q={q}: estimate {est} vs exact {exact} ({rel:P2})");
        }
        Assert.Equal(values[^1], h.MaxNs);
        Assert.Equal(values[0], h.MinNs);
        Assert.Equal(values.Length, h.Count);
        Assert.Equal(values.Sum(), h.SumNs);
    }

    [Fact]
    public void SmallValuesAreExact()
    {
        var h = new LatencyHistogram();
        foreach (long v in new long[] { 0, 1, 2, 3, 31 }) h.Record(v);
        Assert.Equal(2, h.Percentile(0.5));
        Assert.Equal(31, h.Percentile(1.0));
        Assert.Equal(0, h.Percentile(0.0));
        Assert.Equal(0, new LatencyHistogram().Percentile(0.99));
    }

    [Fact]
    public void AddAndClear()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(1000);
        b.Record(3000);
        a.Add(b);
        Assert.Equal(2, a.Count);
        Assert.Equal(3000, a.MaxNs);
        Assert.Equal(1000, a.MinNs);
        a.Clear();
        Assert.Equal(0, a.Count);
        Assert.Equal(0, a.MaxNs);
    }

    [Fact]
    public void RecordAndPercentileAllocateNothing()
    {
        var h = new LatencyHistogram();
        long v = 1;
        AllocationAssert.NoAllocations(() =>
        {
            h.Record(v = v * 7 % 1_000_003);
            h.Percentile(0.99);
        });
    }
}
