using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Execution;

/// <summary>Sample/block streaming facade over a <see cref="Session"/> for single-input,
/// single-output time-major audio graphs ([T, C] in, [T, C'] out). Any block length is accepted and
/// split into calls of at most <see cref="MaxFrames"/> frames; results do not depend on how the
/// signal is split. Processing allocates nothing and takes no locks.</summary>
public sealed unsafe class StreamingSession : IDisposable
{
    private readonly float* _in;
    private readonly float* _out;

    /// <summary>Compile <paramref name="graph"/> (a streaming graph) for blocks of up to
    /// <paramref name="maxFrames"/> frames and open a session on it.</summary>
    public StreamingSession(Graph graph, int maxFrames = 64, bool optimize = true)
        : this(Compile(graph, maxFrames, optimize), owns: true) { }

    public StreamingSession(Session session) : this(session, owns: false) { }

    private StreamingSession(Session session, bool owns)
    {
        Session = session;
        _owns = owns;
        var g = session.Plan.Graph;
        if (!g.Streaming) throw new ModelException($"{g.Source}: not a streaming (time-major audio) model");
        if (session.Inputs.Count != 1 || session.Outputs.Count != 1)
            throw new ModelException($"{g.Source}: streaming needs one input and one output; the model has {session.Inputs.Count} and {session.Outputs.Count}");
        var i = session.Inputs[0]; var o = session.Outputs[0];
        if (i.Shape.Length != 2 || o.Shape.Length != 2 || i.Shape[0] != g.MaxFrames || o.Shape[0] != g.MaxFrames)
            throw new ModelException($"{g.Source}: streaming needs [frames, channels] input and output of {g.MaxFrames} frames; got '{i.Name}' [{string.Join(",", i.Shape)}] and '{o.Name}' [{string.Join(",", o.Shape)}]");
        InputChannels = i.Shape[1];
        OutputChannels = o.Shape[1];
        MaxFrames = g.MaxFrames;
        fixed (float* pi = session.Input(0)) _in = pi;
        fixed (float* po = session.Output(0)) _out = po;
        Latency = g.Metadata.TryGetValue("latency_samples", out var l) && int.TryParse(l, out int li) ? li : 0;
        SampleRate = g.SampleRate;
    }

    private readonly bool _owns;

    public Session Session { get; }
    public int InputChannels { get; }
    public int OutputChannels { get; }
    public int MaxFrames { get; }
    /// <summary>Samples of delay the model introduces (0 for causal RTNeural models).</summary>
    public int Latency { get; }
    /// <summary>Sample rate the model expects, when it says.</summary>
    public double? SampleRate { get; }

    private static Session Compile(Graph graph, int maxFrames, bool optimize)
    {
        if (!graph.Streaming) throw new ModelException($"{graph.Source}: not a streaming (time-major audio) model");
        if (maxFrames < 1) throw new ModelException($"frames per call must be ≥ 1, got {maxFrames}");
        var options = new CompileOptions { MaxFrames = maxFrames, Optimize = optimize };
        foreach (var name in graph.Inputs)
        {
            var t = graph[name];
            if (!t.IsConstant && t.Shape.Length >= 1)
                options.InputShapes[name] = [maxFrames, .. t.Shape[1..]];
        }
        return new Session(Compiler.Compile(graph, options));
    }

    /// <summary>One frame of a single-channel model: returns output channel 0.</summary>
    public float Process(float sample)
    {
        if (InputChannels != 1) ThrowChannels();
        *_in = sample;
        Session.Run(1);
        return *_out;
    }

    /// <summary>Process input.Length / InputChannels frames (interleaved channels) into output.</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        int cin = InputChannels, cout = OutputChannels;
        int frames = input.Length / cin;
        if (frames * cin != input.Length || output.Length < frames * cout) ThrowSizes(input.Length, output.Length);
        fixed (float* src = input)
        fixed (float* dst = output)
        {
            int done = 0;
            while (done < frames)
            {
                int n = Math.Min(MaxFrames, frames - done);
                long ib = (long)n * cin * 4, ob = (long)n * cout * 4;
                Buffer.MemoryCopy(src + (long)done * cin, _in, ib, ib);
                Session.Run(n);
                Buffer.MemoryCopy(_out, dst + (long)done * cout, ob, ob);
                done += n;
            }
        }
    }

    /// <summary>Clear all streaming state (recurrent state, convolution history).</summary>
    public void Reset() => Session.Reset();

    private void ThrowChannels() =>
        throw new ModelException($"Process(float) needs a 1-channel input; the model takes {InputChannels} channels");

    private void ThrowSizes(int inLen, int outLen) =>
        throw new ModelException($"input of {inLen} floats is not whole frames of {InputChannels} channels, or output ({outLen}) has no room for {inLen / Math.Max(1, InputChannels) * OutputChannels}");

    public void Dispose()
    {
        if (_owns) Session.Dispose();
    }
}
