namespace EdgeRuntime.Quantization;

public enum RangeMethod { MinMax, Percentile }

/// <summary>Post-training quantization settings: the calibration folder (raw float32 <c>.bin</c>,
/// <c>.npy</c> float32, or <c>.wav</c> files, one model input each) and how activation ranges are chosen.</summary>
public sealed class CalibrationOptions
{
    public required string Directory { get; init; }
    public RangeMethod Method { get; init; } = RangeMethod.MinMax;
    /// <summary>For <see cref="RangeMethod.Percentile"/>: the range covers this percentile of the values at each end.</summary>
    public double Percentile { get; init; } = 99.99;
    public int MaxFiles { get; init; } = 256;
}
