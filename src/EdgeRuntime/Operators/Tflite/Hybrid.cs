namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite's run-time activation quantization for hybrid kernels.</summary>
internal static unsafe class Hybrid
{
    /// <summary>tensor_utils::SymmetricQuantizeFloats: returns the scaling factor (range/127, or 1 when the range is 0).</summary>
    public static float SymmetricQuantize(float* x, sbyte* q, int n)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int i = 0; i < n; i++) { float v = x[i]; if (v < min) min = v; if (v > max) max = v; }
        float range = Math.Max(Math.Abs(min), Math.Abs(max));
        if (n == 0 || range == 0)
        {
            new Span<sbyte>(q, n).Clear();
            return 1f;
        }
        float inv = 127f / range;
        for (int i = 0; i < n; i++)
        {
            int v = (int)MathF.Round(x[i] * inv, MidpointRounding.AwayFromZero);
            q[i] = (sbyte)Math.Clamp(v, -127, 127);
        }
        return range / 127f;
    }
}
