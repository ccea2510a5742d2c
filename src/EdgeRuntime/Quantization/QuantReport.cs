namespace EdgeRuntime.Quantization;

/// <summary>What post-training quantization did: per layer, the signal-to-quantization-noise ratio
/// of the int8 graph's output against the fp32 graph on the calibration data, and notes (layers
/// kept in fp32 and why).</summary>
public sealed class QuantReport
{
    public int CalibrationInputs { get; set; }
    public string RangeMethod { get; set; } = "";
    public List<LayerSnr> Layers { get; } = new();
    public List<string> Notes { get; } = new();
}

/// <summary>One layer: SNR in dB = 10·log10(Σ ref² / Σ (ref − dequantized int8)²) over all calibration inputs.</summary>
public sealed record LayerSnr(string Node, string OpType, string Tensor, bool Int8, double SnrDb);
