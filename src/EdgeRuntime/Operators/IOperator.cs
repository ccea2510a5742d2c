using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators;

/// <summary>Compile-time side of an operator: shape/type inference, memory needs, and creation of
/// the kernel that runs it. One implementation per op type, registered in
/// <see cref="OperatorRegistry"/>. Implementations are stateless singletons.</summary>
public interface IOperator
{
    /// <summary>The op type as it appears in <see cref="Node.OpType"/> (e.g. "Conv"). Operators of a
    /// non-default domain are registered as "domain:OpType".</summary>
    string OpType { get; }

    /// <summary>Set type and shape of every output from the inputs (whose shapes are known and whose
    /// data is known when constant). Throw <see cref="ModelException"/> naming the node on mismatch.</summary>
    void InferShapes(Node node, Graph graph);

    /// <summary>Bytes of scratch memory the kernel needs while it runs (planned in the arena, free
    /// between ops), and bytes of persistent state (streaming state; kept across runs, cleared by Reset).</summary>
    MemoryNeeds Needs(Node node, Graph graph) => default;

    /// <summary>Output 0 may share input <c>k</c>'s buffer (element-wise ops). -1: never.</summary>
    int InPlaceInput(Node node, Graph graph) => -1;

    /// <summary>Output 0 is a view of input 0's bytes (Reshape, Flatten, Squeeze, Identity...): no copy.</summary>
    bool IsView(Node node, Graph graph) => false;

    /// <summary>Build the kernel bound to the buffers in <paramref name="ctx"/>. Called once per session.</summary>
    OpKernel CreateKernel(Node node, KernelContext ctx);
}

public readonly record struct MemoryNeeds(long ScratchBytes, long PersistentBytes);
