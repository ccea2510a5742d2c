namespace EdgeRuntime.Kernels.Activations;

/// <summary>Element-wise fp32 activations. Stated maximum errors versus the double-precision reference
/// (<see cref="ActivationsReference"/>), measured over dense sweeps by the tests:
/// Relu/Relu6/LeakyRelu exact; Exp ≤ 4e-7 relative on [−87.3, 88.7] (≤ 3 ulp down to the denormal range);
/// Tanh ≤ 4e-7 relative (≤ 6 ulp, rational, no cancellation near 0); Sigmoid ≤ 2.5e-7 absolute (relative ≤ 1e-6
/// for x ≥ −2; see <see cref="ActivationMath"/>); Elu ≤ 1e-6 relative
/// (x ≤ 0 part via expm1); Gelu (erf form, Abramowitz–Stegun 7.1.26 erfc) ≤ 2e-7·max(1,|x|) absolute;
/// GeluTanh ≤ 1e-6·max(1,|x|) absolute.</summary>
public enum ActivationKind
{
    Relu,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>x ≥ 0 ? x : alpha·x.</summary>
    LeakyRelu,
    Tanh,
    Sigmoid,
    Exp,
    /// <summary>x &gt; 0 ? x : alpha·(e^x − 1).</summary>
    Elu,
    /// <summary>0.5·x·(1 + erf(x/√2)) (ONNX Gelu, approximate="none").</summary>
    Gelu,
    /// <summary>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (approximate="tanh").</summary>
    GeluTanh,
}
