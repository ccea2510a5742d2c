using EdgeRuntime.Execution;
using EdgeRuntime.Import.RTNeural;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Tests.Execution;

/// <summary>Every streaming layer type: results independent of the block size, and no allocation
/// while processing.</summary>
public class StreamingSessionTests
{
    private const int MaxFrames = 50;

    private static float[] Rand(Random r, int n, float scale = 0.6f) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1) * scale).ToArray();

    public static TheoryData<string> Layers => new() { "dense_tanh", "dense_relu", "dense_sigmoid", "dense_softmax", "dense_elu", "prelu", "batchnorm",
        "conv1d", "conv1d_groups", "conv2d", "gru", "gru_reset_before", "lstm", "rnn", "residual" };

    private static Graph Build(string layer)
    {
        var r = new Random(layer.GetHashCode() & 0xfff);
        var b = new RtNeuralGraphBuilder(layer, 2, MaxFrames);
        b.Dense(Rand(r, 2 * 4, 1f), b.Channels, 4, Rand(r, 4), "tanh");
        switch (layer)
        {
            case "dense_tanh": case "dense_relu": case "dense_sigmoid": case "dense_softmax": case "dense_elu":
                b.Dense(Rand(r, 16), 4, 4, Rand(r, 4), layer[6..]); break;
            case "prelu": b.PRelu(Rand(r, 4)); break;
            case "batchnorm": b.BatchNorm(Rand(r, 4), Rand(r, 4).Select(v => v + 1).ToArray(), Rand(r, 4), Rand(r, 4), 1e-3f); break;
            case "conv1d": b.Conv1D(Rand(r, 3 * 4 * 3), 3, 3, 4, 1, Rand(r, 3), "tanh"); break;
            case "conv1d_groups": b.Conv1D(Rand(r, 6 * 2 * 2), 6, 2, 3, 2, Rand(r, 6)); break;
            case "conv2d": // the 4-wide dense output read as 4 features × 1 filter → 3 features × 2 filters
                b.Conv2D(Rand(r, 3 * 2 * 1 * 2), 3, 2, 1, 2, 2, 1, 4, 3, 0, false, Rand(r, 2)); break;
            case "gru": b.Gru(Rand(r, 3 * 5 * 4), Rand(r, 3 * 5 * 5), Rand(r, 6 * 5), 5, true); break;
            case "gru_reset_before": b.Gru(Rand(r, 3 * 5 * 4), Rand(r, 3 * 5 * 5), Rand(r, 6 * 5), 5, false); break;
            case "lstm": b.Lstm(Rand(r, 4 * 9 * 4), Rand(r, 4 * 9 * 9), Rand(r, 8 * 9), 9); break;
            case "rnn":
            {
                var g = b.Graph;
                g.Add(Tensor.FromFloats("rw", [1, 3, 4], Rand(r, 12)));
                g.Add(Tensor.FromFloats("rr", [1, 3, 3], Rand(r, 9)));
                g.Nodes.Add(new Node("RNN", "rnn", [b.Current, "rw", "rr"], ["rnn_y"], "edge"));
                b.Select("rnn_y", 3);
                break;
            }
            case "residual":
            {
                string a = b.Current;
                string c = b.Conv1D(Rand(r, 4 * 4 * 2), 4, 2, 2, 1, null);
                b.Sum(a, c, 4);
                break;
            }
        }
        b.Dense(Rand(r, b.Channels), b.Channels, 1, null);
        return b.Finish();
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void OutputDoesNotDependOnBlockSize(string layer)
    {
        using var s = new StreamingSession(Build(layer), MaxFrames);
        int cin = s.InputChannels;
        var x = Rand(new Random(5), 173 * cin, 1f);
        float[]? reference = null;
        foreach (int block in new[] { 1, 7, 64, MaxFrames, 173 })
        {
            s.Reset();
            var y = new float[173];
            for (int pos = 0; pos < 173; pos += block)
            {
                int n = Math.Min(block, 173 - pos);
                s.Process(x.AsSpan(pos * cin, n * cin), y.AsSpan(pos, n));
            }
            Assert.All(y, v => Assert.True(float.IsFinite(v)));
            if (reference is null) reference = y;
            else Assert.Equal(reference, y);
        }
        if (cin == 1)
        {
            s.Reset();
            for (int i = 0; i < 173; i++) Assert.Equal(reference![i], s.Process(x[i]));
        }
        // State carries over: a run without Reset continues from where the last one stopped.
        s.Reset();
        var first = new float[173];
        s.Process(x, first);
        var again = new float[173];
        s.Process(x, again);
        Assert.Equal(reference, first);
        if (layer is "gru" or "lstm" or "conv1d" or "rnn") Assert.NotEqual(first, again);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void ProcessingAllocatesNothing(string layer)
    {
        using var s = new StreamingSession(Build(layer), MaxFrames);
        int cin = s.InputChannels;
        var x = Rand(new Random(9), 130 * cin, 1f);
        var y = new float[130];
        AllocationAssert.NoAllocations(() => s.Process(x, y));
        AllocationAssert.NoAllocations(() => s.Process(x.AsSpan(0, 7 * cin), y.AsSpan(0, 7)));
        if (cin == 1) AllocationAssert.NoAllocations(() => s.Process(0.25f));
        AllocationAssert.NoAllocations(() => s.Reset());
    }

    [Fact]
    public void WrongBlockSizesAreRefused()
    {
        using var s = new StreamingSession(Build("gru"), MaxFrames);
        Assert.Throws<ModelException>(() => s.Process(new float[3], new float[3])); // 2 input channels: 3 is not whole frames
        Assert.Throws<ModelException>(() => s.Process(0.5f));
    }
}
