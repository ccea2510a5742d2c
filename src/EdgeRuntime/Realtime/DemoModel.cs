using EdgeRuntime.Ir;

namespace EdgeRuntime.Realtime;

/// <summary>The model <c>edgert demo</c> runs. The embedded default amp model
/// (<c>Import/EmbeddedModels.LoadDefault()</c>, from the recurrent area) is wired in through
/// <see cref="LoadEmbeddedDefault"/>; until it is, the demo runs a clearly labelled pass-through
/// placeholder so the real-time path, monitor and reports can be exercised end to end.</summary>
public static partial class DemoModel
{
    public const int BlockFrames = 64;
    public const double SampleRateHz = 48000;

    /// <summary>Implemented where the embedded model lives: set <paramref name="graph"/> to it.</summary>
    static partial void LoadEmbeddedDefault(ref Graph? graph);

    /// <summary>The default model, and whether it is only the placeholder.</summary>
    public static (Graph Graph, bool IsPlaceholder) Load()
    {
        Graph? g = null;
        LoadEmbeddedDefault(ref g);
        if (g is not null) return (g, false);
        return (PassThrough(), true);
    }

    /// <summary>A streaming one-node pass-through graph (x → Identity → y), [frames, 1] float32.</summary>
    public static Graph PassThrough(int blockFrames = BlockFrames)
    {
        var g = new Graph
        {
            Name = "placeholder-passthrough",
            Source = "placeholder (pass-through; the embedded amp model is not in this build)",
            Format = "builtin",
            Streaming = true,
            MaxFrames = blockFrames,
            SampleRate = SampleRateHz,
        };
        g.Add(new Tensor("x", DataType.Float32, [blockFrames, 1]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("Identity", "through", ["x"], ["y"]));
        g.Outputs.Add("y");
        return g;
    }
}
