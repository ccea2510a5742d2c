namespace EdgeRuntime.Kernels.Requant;

/// <summary>How an int32 accumulator is scaled by a fixed-point multiplier M (Q0.31, in [2^30, 2^31))
/// and a power-of-two exponent <c>shift</c> (positive = left), as in TFLite.</summary>
public enum RoundingMode
{
    /// <summary>One rounding, as ruy / TFLite's optimized CONV_2D and FULLY_CONNECTED:
    /// <c>(acc·M + 2^(30−shift)) &gt;&gt; (31−shift)</c> in 64-bit (round half up). Needs shift ≤ 30.
    /// NEON: SMULL/SMULL2 .2D, SRSHL .2D, SQXTN.</summary>
    Single,
    /// <summary>Two roundings, as TFLite reference_integer_ops / TFLM (DEPTHWISE_CONV_2D, ADD):
    /// SaturatingRoundingDoublingHighMul(acc·2^max(shift,0), M) then RoundingDivideByPOT(·, max(−shift,0))
    /// (round half away from zero). NEON: SSHL, SQRDMULH, AND+SSHR+SQADD fix-up, SRSHL.</summary>
    Double,
}
