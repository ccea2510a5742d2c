using EdgeRuntime.Ir;
using EdgeRuntime.Operators;

namespace EdgeRuntime.Planning;

/// <summary>Turns a shape-inferred graph into a <see cref="Plan"/>: tensor lifetimes, views and
/// in-place reuse, arena offsets, persistent state and weights layout.</summary>
public static class MemoryPlanner
{
    public static Plan Build(Graph graph, IArenaPlanner? planner = null)
    {
        planner ??= new GreedyBySizePlanner();
        int n = graph.Nodes.Count;
        int end = Math.Max(n - 1, 0);
        var ops = graph.Nodes.Select(OperatorRegistry.Get).ToArray();

        // Last use of every tensor name (graph outputs live to the end).
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstUse = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in graph.Inputs) { firstUse[name] = 0; lastUse[name] = 0; }
        for (int i = 0; i < n; i++)
        {
            foreach (var name in graph.Nodes[i].Inputs.Where(s => s.Length > 0)) lastUse[name] = i;
            foreach (var name in graph.Nodes[i].Outputs.Where(s => s.Length > 0))
            {
                firstUse.TryAdd(name, i);
                lastUse.TryAdd(name, i);
            }
        }
        foreach (var name in graph.Outputs) lastUse[name] = end;

        bool IsConst(string name) => graph.Tensors.TryGetValue(name, out var t) && t.IsConstant;

        // Aliases: views and in-place outputs share their root's buffer.
        var root = new Dictionary<string, string>(StringComparer.Ordinal);
        string Root(string s) { while (root.TryGetValue(s, out var r)) s = r; return s; }
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        int GroupLast(string r) => members.TryGetValue(r, out var m) ? m.Max(x => lastUse.GetValueOrDefault(x)) : lastUse.GetValueOrDefault(r);
        void Join(string child, string r)
        {
            root[child] = r;
            if (!members.TryGetValue(r, out var m)) members[r] = m = [r];
            m.Add(child);
        }
        var graphInputs = new HashSet<string>(graph.Inputs, StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            var node = graph.Nodes[i];
            if (node.Outputs.Count == 0 || node.Outputs[0].Length == 0) continue;
            string outName = node.Outputs[0];
            if (graphInputs.Contains(outName)) continue;
            if (node.HasInput(0) && ops[i].IsView(node, graph))
            {
                Join(outName, Root(node.Inputs[0]));
                continue;
            }
            int k = ops[i].InPlaceInput(node, graph);
            if (k >= 0 && node.HasInput(k))
            {
                string r = Root(node.Inputs[k]);
                // Not when the buffer holds a graph output (also a kept intermediate joined in place earlier):
                // its value must survive to the end.
                bool holdsOutput = members.TryGetValue(r, out var group) ? group.Any(graph.Outputs.Contains) : graph.Outputs.Contains(r);
                if (!IsConst(r) && !graphInputs.Contains(r) && GroupLast(r) == i
                    && graph[r].ByteSize == graph[outName].ByteSize && !holdsOutput)
                    Join(outName, r);
            }
        }

        // Buffers: one per root activation tensor, one per node scratch.
        var requests = new List<BufferRequest>();
        var requestOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, t) in graph.Tensors)
        {
            if (t.IsConstant || root.ContainsKey(name)) continue;
            if (!firstUse.ContainsKey(name) && !lastUse.ContainsKey(name)) continue; // unused
            int f = firstUse.GetValueOrDefault(name, 0);
            int l = Math.Max(f, GroupLast(name));
            requestOf[name] = requests.Count;
            requests.Add(new BufferRequest(name, Math.Max(t.ByteSize, 1), f, l));
        }
        var scratchBytes = new long[n];
        var persistentBytes = new long[n];
        var scratchReq = new int[n];
        for (int i = 0; i < n; i++)
        {
            var needs = ops[i].Needs(graph.Nodes[i], graph);
            scratchBytes[i] = needs.ScratchBytes;
            persistentBytes[i] = needs.PersistentBytes;
            scratchReq[i] = -1;
            if (needs.ScratchBytes > 0)
            {
                scratchReq[i] = requests.Count;
                requests.Add(new BufferRequest($"#scratch{i}", needs.ScratchBytes, i, i));
            }
        }

        long[] offsets = planner.Place(requests);
        var activationOffsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, idx) in requestOf) activationOffsets[name] = offsets[idx];
        foreach (var name in root.Keys)
        {
            string r = Root(name);
            if (requestOf.TryGetValue(r, out int idx)) activationOffsets[name] = offsets[idx];
        }

        var scratchOffsets = new long[n];
        var persistentOffsets = new long[n];
        long persistentTotal = 0;
        for (int i = 0; i < n; i++)
        {
            scratchOffsets[i] = scratchReq[i] >= 0 ? offsets[scratchReq[i]] : -1;
            if (persistentBytes[i] > 0)
            {
                persistentOffsets[i] = persistentTotal;
                persistentTotal += ArenaPlan.Align(persistentBytes[i]);
            }
            else persistentOffsets[i] = -1;
        }

        var weightOffsets = new Dictionary<string, long>(StringComparer.Ordinal);
        long weights = 0;
        foreach (var (name, t) in graph.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!t.IsConstant) continue;
            weightOffsets[name] = weights;
            weights += ArenaPlan.Align(Math.Max(t.Constant!.Length, 1));
        }
        // Views of constants resolve to the constant's bytes.
        foreach (var name in root.Keys)
        {
            string r = Root(name);
            if (weightOffsets.TryGetValue(r, out long w)) weightOffsets[name] = w;
        }

        return new Plan
        {
            Graph = graph,
            ActivationOffsets = activationOffsets,
            WeightOffsets = weightOffsets,
            ScratchOffsets = scratchOffsets,
            ScratchBytes = scratchBytes,
            PersistentOffsets = persistentOffsets,
            PersistentBytes = persistentBytes,
            ArenaBytes = ArenaPlan.Extent(requests, offsets),
            ArenaLowerBoundBytes = ArenaPlan.LowerBound(requests),
            PersistentTotalBytes = persistentTotal,
            WeightsBytes = weights,
            PlannerName = planner.Name,
        };
    }
}
