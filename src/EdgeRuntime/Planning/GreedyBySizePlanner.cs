namespace EdgeRuntime.Planning;

/// <summary>Greedy by size (as in TFLite Micro): largest buffers first, each at the lowest offset
/// that does not collide with an already placed buffer whose lifetime overlaps. The same first-fit
/// placement is also tried in first-use order (which packs chains of large activations such as a
/// MobileNet stem tighter) and the smaller arena is kept; ties keep the by-size placement.</summary>
public sealed class GreedyBySizePlanner : IArenaPlanner
{
    public string Name => "greedy-by-size";

    public long[] Place(IReadOnlyList<BufferRequest> requests)
    {
        var bySize = Enumerable.Range(0, requests.Count)
            .OrderByDescending(i => requests[i].Bytes)
            .ThenBy(i => requests[i].FirstUse)
            .ToArray();
        var byFirstUse = Enumerable.Range(0, requests.Count)
            .OrderBy(i => requests[i].FirstUse)
            .ThenByDescending(i => requests[i].Bytes)
            .ToArray();
        var best = FirstFit(requests, bySize);
        var other = FirstFit(requests, byFirstUse);
        return ArenaPlan.Extent(requests, other) < ArenaPlan.Extent(requests, best) ? other : best;
    }

    private static long[] FirstFit(IReadOnlyList<BufferRequest> requests, int[] order)
    {
        var offsets = new long[requests.Count];
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
