namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite's fixed-point requantization: real multipliers as a Q31 multiplier plus a power of
/// two, and the two rounding schemes TFLite's own kernels use (single rounding as in ruy for CONV_2D
/// and FULLY_CONNECTED; double rounding, SaturatingRoundingDoublingHighMul then
/// RoundingDivideByPOT, for DEPTHWISE_CONV_2D and ADD). Scalar reference; SIMD paths must match it
/// bit for bit.</summary>
public static class FixedPoint
{
    /// <summary>TFLite <c>QuantizeMultiplier</c>: real = M · 2^(shift − 31), M in [2^30, 2^31).</summary>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (real == 0 || !double.IsFinite(real)) return (0, 0);
        int shift = Math.ILogB(real) + 1;           // frexp: real = frac · 2^shift, frac in [0.5, 1)
        double frac = Math.ScaleB(real, -shift);
        long q = (long)Math.Round(frac * (1L << 31), MidpointRounding.AwayFromZero);
        if (q == 1L << 31) { q /= 2; shift++; }
        if (shift < -31) { shift = 0; q = 0; }
        if (shift > 30) { shift = 30; q = (1L << 31) - 1; }
        return ((int)q, shift);
    }

    /// <summary>Single rounding: <c>(acc·M + 2^(30−shift)) >> (31−shift)</c>, saturated to int32.</summary>
    public static int MultiplySingleRounding(int acc, int multiplier, int shift)
    {
        int total = 31 - shift;
        long r = ((long)acc * multiplier + (1L << (total - 1))) >> total;
        return r > int.MaxValue ? int.MaxValue : r < int.MinValue ? int.MinValue : (int)r;
    }

    /// <summary>Double rounding (gemmlowp): SRDHM(acc · 2^max(shift,0), M) then rounding divide by 2^max(−shift,0).</summary>
    public static int MultiplyDoubleRounding(int acc, int multiplier, int shift)
    {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(acc * (1 << left), multiplier), right);
    }

    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == b && a == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31));
    }

    public static int RoundingDivideByPot(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>TFLite's <c>CalculateActivationRangeQuantized</c> for an int8 output.</summary>
    public static (int Min, int Max) ActivationRange(string activation, float scale, long zeroPoint, int qmin = -128, int qmax = 127)
    {
        int Q(float f) => (int)zeroPoint + (int)MathF.Round(f / scale, MidpointRounding.AwayFromZero);
        return activation switch
        {
            "RELU" => (Math.Max(qmin, Q(0)), qmax),
            "RELU6" => (Math.Max(qmin, Q(0)), Math.Min(qmax, Q(6))),
            "RELU_N1_TO_1" => (Math.Max(qmin, Q(-1)), Math.Min(qmax, Q(1))),
            _ => (qmin, qmax),
        };
    }

    public static (float Min, float Max) ActivationRange(string activation) => activation switch
    {
        "RELU" => (0f, float.PositiveInfinity),
        "RELU6" => (0f, 6f),
        "RELU_N1_TO_1" => (-1f, 1f),
        _ => (float.NegativeInfinity, float.PositiveInfinity),
    };
}
