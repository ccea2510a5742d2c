namespace EdgeRuntime.Planning;

/// <summary>Maps buffers with lifetimes to offsets in one arena.</summary>
public interface IArenaPlanner
{
    string Name { get; }
    /// <summary>Offsets (aligned to <see cref="ArenaPlan.Alignment"/>) for each request, in request order.</summary>
    long[] Place(IReadOnlyList<BufferRequest> requests);
}

public static class ArenaPlan
{
    public const int Alignment = 64;
    public static long Align(long bytes) => (bytes + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>Largest sum of simultaneously live buffers: no placement can use less.</summary>
    public static long LowerBound(IReadOnlyList<BufferRequest> requests)
    {
        if (requests.Count == 0) return 0;
        int last = requests.Max(r => r.LastUse);
        int first = requests.Min(r => r.FirstUse);
        long best = 0;
        for (int t = first; t <= last; t++)
        {
            long live = 0;
            foreach (var r in requests) if (r.FirstUse <= t && t <= r.LastUse) live += Align(r.Bytes);
            best = Math.Max(best, live);
        }
        return best;
    }

    public static long Extent(IReadOnlyList<BufferRequest> requests, long[] offsets)
    {
        long end = 0;
        for (int i = 0; i < requests.Count; i++) end = Math.Max(end, offsets[i] + Align(requests[i].Bytes));
        return end;
    }
}
