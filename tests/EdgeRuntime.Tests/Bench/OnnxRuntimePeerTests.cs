using EdgeRuntime.Bench;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Bench;

public class OnnxRuntimePeerTests(ITestOutputHelper output)
{
    private static string RepoFile(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "EdgeRuntime.sln"))) return Path.Combine(d.FullName, relative);
        throw new FileNotFoundException(relative);
    }

    [Fact]
    public void MissingLibraryIsAClearError()
    {
        var e = Assert.Throws<ModelException>(() => new OnnxRuntimePeer("/nonexistent/libonnxruntime.so.1", "m.onnx", [], []));
        Assert.Contains("tools/fetch-onnxruntime.sh", e.Message);
    }

    [Theory]
    [InlineData("bench/models/dense_64_256_256_10.onnx")]
    [InlineData("bench/models/gru_16_64_seq64.onnx")]
    [InlineData("bench/models/cnn_small_32x32.onnx")]
    public void OnnxRuntimeAndEdgeRuntimeAgreeOnTheBenchModels(string model)
    {
        string lib = OnnxRuntimePeer.DefaultLibraryPath();
        if (!File.Exists(lib))
        {
            output.WriteLine($"SKIPPED: ONNX Runtime library not found at {lib} (run tools/fetch-onnxruntime.sh)");
            return;
        }
        string path = RepoFile(model);
        using var s = new Session(Compiler.Compile(ModelLoader.Load(path)));
        BenchRunner.FillInputs(s, 42);
        var inputs = s.Inputs.Select((t, i) => (t.Name, t.Shape, s.Input(i).ToArray())).ToList();
        var outputs = s.Outputs.Select(t => (t.Name, t.Shape, new float[t.ElementCount])).ToList();
        using var peer = new OnnxRuntimePeer(lib, path, inputs, outputs);
        Assert.StartsWith("1.30", peer.Version);
        s.Run();
        peer.Run();
        var ours = s.Output(0);
        var theirs = outputs[0].Item3;
        Assert.Equal(theirs.Length, ours.Length);
        Assert.True(theirs.Any(v => v != 0), "peer produced all zeros");
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - theirs[i]) <= 1e-4 + 1e-4 * Math.Abs(theirs[i]), $"{model} output[{i}]: ours {ours[i]}, onnxruntime {theirs[i]}");
    }
}
