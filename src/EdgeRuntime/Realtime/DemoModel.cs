using EdgeRuntime.Ir;

namespace EdgeRuntime.Realtime;

/// <summary>The model <c>edgert demo</c> runs: the embedded default amp model (a GRU(1,16) + Dense
/// trained by <c>tools/train_amp.py</c>, see <see cref="Import.EmbeddedModels"/>), 64-sample blocks at
/// 48 kHz. <see cref="PassThrough"/> is a one-node streaming graph the real-time tests use.</summary>
public static class DemoModel
{
    public const int BlockFrames = 64;
    public const double SampleRateHz = 48000;

    public static Graph Load() => Import.EmbeddedModels.LoadDefault();

    /// <summary>A streaming one-node pass-through graph (x → Identity → y), [frames, 1] float32.</summary>
    public static Graph PassThrough(int blockFrames = BlockFrames)
    {
        var g = new Graph
        {
            Name = "passthrough",
            Source = "builtin pass-through",
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
