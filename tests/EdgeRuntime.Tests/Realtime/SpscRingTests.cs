using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

public class SpscRingTests
{
    [Fact]
    public void CapacityMustBeAPowerOfTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<long>(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<long>(1));
        Assert.Equal(8, new SpscRing<long>(8).Capacity);
    }

    [Fact]
    public void FifoOrderFullAndEmpty()
    {
        var r = new SpscRing<long>(4);
        Assert.False(r.TryRead(out _));
        for (long i = 0; i < 4; i++) Assert.True(r.TryWrite(i));
        Assert.False(r.TryWrite(99)); // full: refused, not waited for
        Assert.Equal(4, r.Count);
        for (long i = 0; i < 4; i++) { Assert.True(r.TryRead(out long v)); Assert.Equal(i, v); }
        Assert.False(r.TryRead(out _));
        // Wrap around many times.
        for (long i = 0; i < 1000; i++) { Assert.True(r.TryWrite(i)); Assert.True(r.TryRead(out long v)); Assert.Equal(i, v); }
    }

    [Fact]
    public void ConcurrentProducerAndConsumerSeeEveryAcceptedItemInOrder()
    {
        const long n = 2_000_000;
        var r = new SpscRing<BlockRecord>(1024);
        long dropped = 0, received = 0, lastIndex = -1;
        bool ordered = true;
        var consumer = new Thread(() =>
        {
            var spin = new SpinWait();
            while (true)
            {
                if (r.TryRead(out var rec))
                {
                    if (rec.Index == long.MaxValue) break;
                    // Each record must be whole (fields written together) and strictly increasing.
                    if (rec.Index <= lastIndex || rec.StartNs != rec.Index * 3 || rec.EndNs != rec.Index * 5) ordered = false;
                    lastIndex = rec.Index;
                    received++;
                }
                else spin.SpinOnce();
            }
        });
        consumer.Start();
        for (long i = 0; i < n; i++)
            if (!r.TryWrite(new BlockRecord(i, 64, i, i * 3, i * 5, i * 7))) dropped++;
        while (!r.TryWrite(new BlockRecord(long.MaxValue, 0, 0, 0, 0, 0))) Thread.Yield();
        Assert.True(consumer.Join(TimeSpan.FromSeconds(60)));
        Assert.True(ordered, "records arrived out of order or torn");
        Assert.Equal(n, received + dropped);
    }

    [Fact]
    public void ProducerSideAllocatesNothing()
    {
        var r = new SpscRing<BlockRecord>(64);
        var rec = new BlockRecord(1, 64, 2, 3, 4, 5);
        AllocationAssert.NoAllocations(() =>
        {
            r.TryWrite(rec);
            r.TryRead(out _);
        });
    }
}
