namespace EdgeRuntime.Passes;

/// <summary>Activation applied by a producer's kernel to its output (see <see cref="FusedActivation"/>).
/// Values are stored in the plan file; never renumber.</summary>
public enum FusedActivationKind
{
    None = 0,
    /// <summary>max(x, 0).</summary>
    Relu = 1,
    /// <summary>min(max(x, Min), Max); Clip(0, 6) is ReLU6.</summary>
    Clip = 2,
    /// <summary>x ≥ 0 ? x : Alpha·x.</summary>
    LeakyRelu = 3,
    Tanh = 4,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid = 5,
}
