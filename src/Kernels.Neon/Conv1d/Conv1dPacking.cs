namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Plan-time weight layout for <see cref="Conv1dF32"/>.</summary>
public static class Conv1dPacking
{
    /// <summary>[out, in, kernel] (PyTorch Conv1d / ONNX Conv) → [kernel, in, out].</summary>
    public static void FromOutInKernel(ReadOnlySpan<float> src, int outChannels, int inChannels, int kernel, Span<float> dst)
    {
        if (src.Length < outChannels * inChannels * kernel || dst.Length < outChannels * inChannels * kernel)
            throw new ArgumentException($"conv1d packing: buffers shorter than {outChannels}x{inChannels}x{kernel}");
        for (int o = 0; o < outChannels; o++)
            for (int i = 0; i < inChannels; i++)
                for (int k = 0; k < kernel; k++)
                    dst[(k * inChannels + i) * outChannels + o] = src[(o * inChannels + i) * kernel + k];
    }
}
