using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Compile-time evaluation: when every input of a node is a constant, run the node's own
/// kernel once on temporary buffers and store the outputs as constants. This is what lets shape
/// computations (Shape → Gather → Concat → Reshape) resolve at shape inference.</summary>
public static unsafe class ConstantEvaluator
{
    /// <summary>Largest output (bytes) folded; bigger results stay run-time computations.</summary>
    public const long MaxFoldBytes = 1 << 20;

    public static bool OutputsConstant(Node node, Graph graph) =>
        node.Outputs.All(o => o.Length == 0 || (graph.TryGet(o, out var t) && t.IsConstant));

    public static bool TryFold(IOperator op, Node node, Graph graph)
    {
        foreach (var name in node.Inputs)
            if (name.Length > 0 && !graph[name].IsConstant) return false;
        long total = 0;
        foreach (var name in node.Outputs)
        {
            if (name.Length == 0) continue;
            var t = graph[name];
            if (t.Type is DataType.Undefined or DataType.String or DataType.Float16 || !t.ShapeKnown) return false;
            total += t.ByteSize;
        }
        if (total > MaxFoldBytes) return false;
        foreach (var name in node.Outputs)
            if (name.Length > 0) graph[name].Constant = null;

        var buffers = new Dictionary<string, nint>(StringComparer.Ordinal);
        var needs = op.Needs(node, graph);
        nint scratch = 0, persistent = 0;
        try
        {
            foreach (var name in node.Inputs.Concat(node.Outputs))
            {
                if (name.Length == 0 || buffers.ContainsKey(name)) continue;
                var t = graph[name];
                long bytes = Math.Max(t.IsConstant ? t.Constant!.Length : t.ByteSize, 1);
                var p = (nint)NativeMemory.AlignedAlloc((nuint)bytes, ArenaPlan.Alignment);
                NativeMemory.Clear((void*)p, (nuint)bytes);
                buffers[name] = p;
                if (t.Constant is not null) t.Constant.CopyTo(new Span<byte>((void*)p, t.Constant.Length));
            }
            if (needs.ScratchBytes > 0) scratch = (nint)NativeMemory.AlignedAlloc((nuint)needs.ScratchBytes, ArenaPlan.Alignment);
            if (needs.PersistentBytes > 0)
            {
                persistent = (nint)NativeMemory.AlignedAlloc((nuint)needs.PersistentBytes, ArenaPlan.Alignment);
                NativeMemory.Clear((void*)persistent, (nuint)needs.PersistentBytes);
            }
            var ctx = new KernelContext(graph, node, s => buffers[s], scratch, needs.ScratchBytes, persistent, needs.PersistentBytes);
            var kernel = op.CreateKernel(node, ctx);
            kernel.Reset();
            kernel.Execute(graph.MaxFrames);
            foreach (var name in node.Outputs)
            {
                if (name.Length == 0) continue;
                var t = graph[name];
                t.Constant = new ReadOnlySpan<byte>((void*)buffers[name], checked((int)t.ByteSize)).ToArray();
            }
            return true;
        }
        finally
        {
            foreach (var p in buffers.Values) NativeMemory.AlignedFree((void*)p);
            if (scratch != 0) NativeMemory.AlignedFree((void*)scratch);
            if (persistent != 0) NativeMemory.AlignedFree((void*)persistent);
        }
    }
}

/// <summary>Kernel of a node whose outputs were computed at compile time.</summary>
public sealed class NoOpKernel : OpKernel
{
    public static readonly NoOpKernel Instance = new();
    public override void Execute(int frames) { }
    public override string KernelName => "constant";
}
