using System.Text.Json;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;

namespace EdgeRuntime.Tests.Import;

public class EmbeddedModelsTests
{
    [Fact]
    public void DefaultModelIsEmbedded()
    {
        Assert.Contains(EmbeddedModels.DefaultName, EmbeddedModels.Names);
    }

    /// <summary>The training script (tools/train_amp.py) stored PyTorch's float32 output for a short
    /// deterministic signal under "check"; the imported model must reproduce it.</summary>
    [Fact]
    public void DefaultModelReproducesThePyTorchOutputsStoredBesideIt()
    {
        var g = EmbeddedModels.LoadDefault();
        Assert.True(g.Streaming);
        Assert.Equal(48000.0, g.SampleRate);
        using var doc = JsonDocument.Parse(EmbeddedModels.ReadBytes(EmbeddedModels.DefaultName));
        var check = doc.RootElement.GetProperty("check");
        var x = check.GetProperty("input").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var want = check.GetProperty("output").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(x.Length >= 64 && x.Length == want.Length);
        Assert.Contains(want, v => Math.Abs(v) > 1e-3); // a real signal, not silence

        using var s = new StreamingSession(g, 64);
        var y = new float[x.Length];
        s.Process(x, y);
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(want[i] - y[i]) <= 2e-5, $"sample {i}: PyTorch {want[i]}, EdgeRuntime {y[i]}");

        s.Reset(); // per sample gives the same
        for (int i = 0; i < x.Length; i++) Assert.Equal(y[i], s.Process(x[i]));
    }

    [Fact]
    public void MissingEmbeddedModelIsAClearError()
    {
        var e = Assert.Throws<EdgeRuntime.Ir.ModelException>(() => EmbeddedModels.Load("nope.json"));
        Assert.Contains("nope.json", e.Message);
    }
}
