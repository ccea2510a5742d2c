using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators;

/// <summary>Marker for operators whose kernels honour the <c>fused_activation</c> attribute contract
/// defined by <see cref="FusedActivation"/> (read it with <see cref="FusedActivation.FromNode"/> in
/// CreateKernel and apply it to the output before returning from Execute). The activation-fusion
/// pass fuses a following activation only into nodes whose operator implements this interface.</summary>
public interface ISupportsFusedActivation
{
    /// <summary>Whether this particular node can take <paramref name="kind"/> (e.g. only the fp32
    /// path of an op). Default: every kind.</summary>
    bool CanFuse(Node node, Graph graph, FusedActivationKind kind) => true;
}
