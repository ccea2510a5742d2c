using EdgeRuntime.Execution;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Realtime;

/// <summary>Runs a mono streaming model through <see cref="StreamingSession"/> once per block.</summary>
public sealed class StreamingBlockProcessor : IBlockProcessor
{
    private readonly StreamingSession _stream;

    public StreamingBlockProcessor(StreamingSession stream, double? sampleRateHz = null)
    {
        if (stream.InputChannels != 1 || stream.OutputChannels != 1)
            throw new ModelException($"{stream.Session.Plan.Graph.Source}: real-time audio needs a mono model (1 channel in and out); this one has {stream.InputChannels} in, {stream.OutputChannels} out");
        _stream = stream;
        BlockFrames = stream.MaxFrames;
        SampleRate = sampleRateHz ?? stream.SampleRate ?? 48000;
    }

    public int BlockFrames { get; }
    public double SampleRate { get; }

    public void Process(ReadOnlySpan<float> input, Span<float> output) => _stream.Process(input, output[..input.Length]);

    /// <summary>Clear the model's streaming state (after warm-up).</summary>
    public void Reset() => _stream.Reset();
}
