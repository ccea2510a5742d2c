using EdgeRuntime.Execution;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Realtime;

/// <summary>Runs a streaming session once per block: input 0 and output 0 hold one mono sample per
/// frame on axis 0 (shape [frames] or [frames, 1]); <c>Run(frames)</c> processes the valid frames.</summary>
public sealed class SessionBlockProcessor : IBlockProcessor
{
    private readonly Session _session;

    public SessionBlockProcessor(Session session, double? sampleRateHz = null)
    {
        _session = session;
        var g = session.Plan.Graph;
        if (session.Inputs.Count < 1 || session.Outputs.Count < 1)
            throw new ModelException($"{g.Source}: a real-time model needs an input and an output");
        var inT = session.Inputs[0];
        var outT = session.Outputs[0];
        if (inT.Type != DataType.Float32 || outT.Type != DataType.Float32)
            throw new ModelException($"{g.Source}: real-time audio needs float32 input and output ('{inT.Name}' is {inT.Type}, '{outT.Name}' is {outT.Type})");
        int frames = g.Streaming ? g.MaxFrames : checked((int)inT.ElementCount);
        if (frames < 1 || inT.ElementCount != frames || outT.ElementCount != frames)
            throw new ModelException($"{g.Source}: real-time audio needs one sample per frame; input '{inT.Name}' [{string.Join(",", inT.Shape)}] and output '{outT.Name}' [{string.Join(",", outT.Shape)}] do not hold {frames} mono samples");
        BlockFrames = frames;
        Streaming = g.Streaming;
        SampleRate = sampleRateHz ?? g.SampleRate ?? 48000;
    }

    public int BlockFrames { get; }
    public double SampleRate { get; }
    public bool Streaming { get; }

    /// <summary>Clear the model's streaming state (after warm-up).</summary>
    public void Reset() => _session.Reset();

    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        int n = Math.Min(input.Length, BlockFrames);
        var dst = _session.Input(0);
        input[..n].CopyTo(dst);
        if (Streaming) _session.Run(n);
        else
        {
            dst[n..].Clear();
            _session.Run();
        }
        _session.Output(0)[..Math.Min(n, output.Length)].CopyTo(output);
    }
}
