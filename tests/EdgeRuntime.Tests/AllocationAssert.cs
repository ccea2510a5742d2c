namespace EdgeRuntime.Tests;

/// <summary>Our RADSan: asserts a run path allocates nothing on the managed heap.</summary>
public static class AllocationAssert
{
    public static void NoAllocations(Action action, int warmup = 3, int repeats = 200)
    {
        for (int i = 0; i < warmup; i++) action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < repeats; i++) action();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(after - before == 0, $"run path allocated {after - before} bytes over {repeats} runs");
    }
}
