namespace EdgeRuntime.Planning;

/// <summary>Baseline: every buffer gets its own space. Never shares; used to check the greedy planner.</summary>
public sealed class LinearPlanner : IArenaPlanner
{
    public string Name => "linear";

    public long[] Place(IReadOnlyList<BufferRequest> requests)
    {
        var offsets = new long[requests.Count];
        long next = 0;
        for (int i = 0; i < requests.Count; i++)
        {
            offsets[i] = next;
            next += ArenaPlan.Align(requests[i].Bytes);
        }
        return offsets;
    }
}
