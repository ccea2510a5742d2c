namespace EdgeRuntime.Kernels.Requant;

/// <summary>Scalar reference for int32 → int8 requantization (the TFLite formulas, written plainly).</summary>
public static unsafe class RequantizeReference
{
    /// <summary>gemmlowp SaturatingRoundingDoublingHighMul.</summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31));
    }

    /// <summary>gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero.</summary>
    public static int RoundingDivideByPOT(int x, int exponent)
    {
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /// <summary>One accumulator scaled by (M, shift) with the given rounding, before offset and clamp.</summary>
    public static long Scale(int acc, int multiplier, int shift, RoundingMode mode)
    {
        if (mode == RoundingMode.Single)
            return ((long)acc * multiplier + (1L << (30 - shift))) >> (31 - shift);
        int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
        return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(unchecked(acc << left), multiplier), right);
    }

    /// <summary>dst[r,c] = clamp(Scale(acc[r,c], M[c], shift[c]) + outputOffset, actMin, actMax);
    /// per-tensor when <paramref name="perChannel"/> is false (M[0], shift[0]).</summary>
    public static void Run(int rows, int channels, int* acc, sbyte* dst, int* multiplier, int* shift,
        int outputOffset, int actMin, int actMax, RoundingMode mode, bool perChannel = true)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                int q = perChannel ? c : 0;
                long v = Scale(acc[(long)r * channels + c], multiplier[q], shift[q], mode) + outputOffset;
                dst[(long)r * channels + c] = (sbyte)Math.Clamp(v, actMin, actMax);
            }
    }
}
