using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Causal, dilated fp32 1-D convolution for streaming audio models (WaveNet/NAM/TCN style),
/// time-major: one GEMM per tap, Y[frames×out] += X_shifted[frames×in]·W_k[in×out], on
/// <see cref="GemmF32"/>'s register-blocked kernel.
/// <para>x points at frame 0 of a [history + frames, inChannels] buffer: the (kernel−1)·dilation frames
/// before x must be readable (the streaming history; zeros at stream start). w is [kernel, in, out]
/// (<see cref="Conv1dPacking.FromOutInKernel"/> converts PyTorch/ONNX [out, in, kernel]). y is
/// [frames, out] and must not overlap x or w. No allocation.</para></summary>
public static unsafe class Conv1dF32
{
    public static void Run(int frames, int inChannels, int outChannels, int kernel, int dilation, float* x, float* w, float* bias, float* y)
        => Run(KernelPaths.BestF32, frames, inChannels, outChannels, kernel, dilation, x, w, bias, y);

    public static void Run(KernelPath path, int frames, int inChannels, int outChannels, int kernel, int dilation, float* x, float* w, float* bias, float* y)
    {
        if (frames < 0 || inChannels < 0 || outChannels < 0 || kernel < 1 || dilation < 1)
            throw new ArgumentOutOfRangeException(nameof(frames), $"conv1d: frames={frames} in={inChannels} out={outChannels} kernel={kernel} dilation={dilation}");
        if (frames == 0 || outChannels == 0) return;
        for (int k = 0; k < kernel; k++)
        {
            float* xk = x - (long)(kernel - 1 - k) * dilation * inChannels;
            GemmF32.Run(path, frames, outChannels, inChannels, xk, inChannels, w + (long)k * inChannels * outChannels, outChannels,
                y, outChannels, k == 0 ? bias : null, accumulate: k > 0);
        }
    }
}
