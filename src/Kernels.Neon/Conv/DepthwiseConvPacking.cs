namespace EdgeRuntime.Kernels.Conv;

/// <summary>Plan-time weight layout for the depthwise kernels ([kH, kW, C]).</summary>
public static class DepthwiseConvPacking
{
    /// <summary>ONNX/PyTorch depthwise [C, 1, kH, kW] → [kH, kW, C]. (TFLite [1, kH, kW, C] is already the layout.)</summary>
    public static void FromChannelFirst<T>(ReadOnlySpan<T> src, int channels, int kH, int kW, Span<T> dst)
    {
        if (src.Length < channels * kH * kW || dst.Length < channels * kH * kW)
            throw new ArgumentException($"depthwise packing: buffers shorter than {channels}x{kH}x{kW}");
        for (int c = 0; c < channels; c++)
            for (int h = 0; h < kH; h++)
                for (int w = 0; w < kW; w++)
                    dst[(h * kW + w) * channels + c] = src[(c * kH + h) * kW + w];
    }
}
