using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

/// <summary>output = gain · input.</summary>
internal sealed class GainProcessor(int blockFrames = 64, double rate = 48000, float gain = 2f) : IBlockProcessor
{
    public int BlockFrames => blockFrames;
    public double SampleRate => rate;
    public long Calls;

    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        Calls++;
        for (int i = 0; i < input.Length; i++) output[i] = input[i] * gain;
    }
}

/// <summary>Busy-waits a fixed time per block (a model too slow for its deadline).</summary>
internal sealed class SpinProcessor(double microseconds, int blockFrames = 64, double rate = 48000) : IBlockProcessor
{
    public int BlockFrames => blockFrames;
    public double SampleRate => rate;

    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(microseconds * 1e-6 * System.Diagnostics.Stopwatch.Frequency);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until) { }
        input.CopyTo(output);
    }
}
