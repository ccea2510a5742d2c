namespace EdgeRuntime.Ir;

/// <summary>Affine quantization: real = (q - ZeroPoint) * Scale. Per-tensor when Scales.Length == 1,
/// otherwise per-channel along <see cref="Axis"/>.</summary>
public sealed record QuantParams(float[] Scales, long[] ZeroPoints, int Axis = 0)
{
    public bool PerChannel => Scales.Length > 1;
    public static QuantParams PerTensor(float scale, long zeroPoint) => new([scale], [zeroPoint]);
}
