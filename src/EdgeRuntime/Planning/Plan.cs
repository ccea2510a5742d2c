using EdgeRuntime.Ir;

namespace EdgeRuntime.Planning;

/// <summary>A compiled model: the optimized graph with every shape known, and where every byte lives.
/// Immutable once built; sessions instantiate kernels from it. Serialized as a <c>.edge</c> file.</summary>
public sealed class Plan
{
    public required Graph Graph { get; init; }
    /// <summary>Offset in the activation arena of each non-constant tensor (views share their root's offset).</summary>
    public required IReadOnlyDictionary<string, long> ActivationOffsets { get; init; }
    /// <summary>Offset in the weights region of each constant tensor.</summary>
    public required IReadOnlyDictionary<string, long> WeightOffsets { get; init; }
    /// <summary>Per node (graph order): scratch offset in the arena (-1 when none) and bytes.</summary>
    public required long[] ScratchOffsets { get; init; }
    public required long[] ScratchBytes { get; init; }
    /// <summary>Per node: offset in the persistent region (-1 when none) and bytes.</summary>
    public required long[] PersistentOffsets { get; init; }
    public required long[] PersistentBytes { get; init; }

    /// <summary>Activation + scratch arena as planned.</summary>
    public required long ArenaBytes { get; init; }
    /// <summary>Largest sum of simultaneously live activation/scratch buffers.</summary>
    public required long ArenaLowerBoundBytes { get; init; }
    public required long PersistentTotalBytes { get; init; }
    public required long WeightsBytes { get; init; }
    public required string PlannerName { get; init; }
    /// <summary>ISA features the plan's kernels require on the machine that loads it (e.g. "avx2").</summary>
    public IReadOnlyList<string> RequiredIsa { get; init; } = [];

    public long MaxScratchBytes => ScratchBytes.Length == 0 ? 0 : ScratchBytes.Max();
    public long TotalNativeBytes => WeightsBytes + PersistentTotalBytes + ArenaBytes;
}
