using System.Numerics;

namespace EdgeRuntime.Realtime;

/// <summary>Allocation-free log-bucketed histogram of non-negative nanosecond values: exact below 32,
/// then 32 linear sub-buckets per power of two, so any percentile is within 1/64 (≈1.6 %) of a value
/// actually recorded in that bucket. Min, max, count and sum are exact. Not thread-safe.</summary>
public sealed class LatencyHistogram
{
    public const int SubBucketBits = 5;
    private const int Sub = 1 << SubBucketBits;        // 32
    private const int MaxMsb = 62;
    public const int BucketCount = Sub + (MaxMsb - SubBucketBits + 1) * Sub;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }
    public long SumNs { get; private set; }
    public long MinNs { get; private set; } = long.MaxValue;
    public long MaxNs { get; private set; }

    public static int IndexOf(long valueNs)
    {
        ulong v = valueNs <= 0 ? 0 : (ulong)valueNs;
        if (v < Sub) return (int)v;
        int msb = 63 - BitOperations.LeadingZeroCount(v);
        int sub = (int)(v >> (msb - SubBucketBits)) - Sub;
        return Sub + (msb - SubBucketBits) * Sub + sub;
    }

    /// <summary>Lowest value of bucket <paramref name="index"/> and its width.</summary>
    public static (long Low, long Width) BucketRange(int index)
    {
        if (index < Sub) return (index, 1);
        int msb = (index - Sub) / Sub + SubBucketBits;
        int sub = (index - Sub) % Sub;
        int shift = msb - SubBucketBits;
        return ((long)(Sub + sub) << shift, 1L << shift);
    }

    public void Record(long valueNs)
    {
        if (valueNs < 0) valueNs = 0;
        _counts[IndexOf(valueNs)]++;
        Count++;
        SumNs += valueNs;
        if (valueNs < MinNs) MinNs = valueNs;
        if (valueNs > MaxNs) MaxNs = valueNs;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1): the bucket midpoint holding the
    /// ceil(q·count)-th smallest value, clamped to [min, max]. 0 when empty.</summary>
    public long Percentile(double q)
    {
        if (Count == 0) return 0;
        long rank = Math.Clamp((long)Math.Ceiling(q * Count), 1, Count);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var (low, width) = BucketRange(i);
                long mid = low + (width - 1) / 2;
                return Math.Clamp(mid, MinNs, MaxNs);
            }
        }
        return MaxNs;
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        SumNs += other.SumNs;
        if (other.Count > 0)
        {
            MinNs = Math.Min(MinNs, other.MinNs);
            MaxNs = Math.Max(MaxNs, other.MaxNs);
        }
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        SumNs = 0;
        MinNs = long.MaxValue;
        MaxNs = 0;
    }
}
