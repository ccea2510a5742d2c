namespace EdgeRuntime.Planning;

/// <summary>Greedy by size (as in TFLite Micro): largest buffers first, each at the lowest offset
/// that does not collide with an already placed buffer whose lifetime overlaps.</summary>
public sealed class GreedyBySizePlanner : IArenaPlanner
{
    public string Name => "greedy-by-size";

    public long[] Place(IReadOnlyList<BufferRequest> requests)
    {
        var offsets = new long[requests.Count];
        var order = Enumerable.Range(0, requests.Count)
            .OrderByDescending(i => requests[i].Bytes)
            .ThenBy(i => requests[i].FirstUse)
            .ToArray();
        var placed = new List<int>();
        foreach (int i in order)
        {
            var r = requests[i];
            long size = ArenaPlan.Align(r.Bytes);
            // Candidate gaps between already placed, time-overlapping buffers, sorted by offset.
            var busy = placed.Where(j => requests[j].Overlaps(r))
                .Select(j => (Start: offsets[j], End: offsets[j] + ArenaPlan.Align(requests[j].Bytes)))
                .OrderBy(s => s.Start)
                .ToList();
            long candidate = 0;
            foreach (var (start, end) in busy)
            {
                if (candidate + size <= start) break;
                candidate = Math.Max(candidate, end);
            }
            offsets[i] = candidate;
            placed.Add(i);
        }
        return offsets;
    }
}
