using System.Text.Json;
using EdgeRuntime.Cli;
using EdgeRuntime.Import.Onnx;
using EdgeRuntime.Passes;
using EdgeRuntime.Tests.Import.Onnx;

namespace EdgeRuntime.Tests.Cli;

/// <summary><c>edgert info</c> and <c>compile</c> on a small ONNX CNN written here with the ONNX
/// protobuf classes: Conv(3→8, 3x3, pad 1) → Relu → MaxPool 2x2 → Conv(8→16, 3x3) → Relu →
/// GlobalAveragePool → Flatten → Gemm(16→10), input 1x3x16x16.</summary>
public class InfoOnnxCnnTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecnn").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static OnnxValueInfo Value(string name, params long[] dims)
    {
        var shape = new OnnxShape();
        foreach (long d in dims) shape.Dim.Add(OnnxDim.Of(d));
        return new OnnxValueInfo { Name = name, Type = new OnnxType { TensorType = new OnnxTensorType { ElemType = 1, Shape = shape } } };
    }

    private static OnnxTensor Init(string name, Random rnd, params long[] dims)
    {
        var t = new OnnxTensor { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(Enumerable.Range(0, (int)dims.Aggregate(1L, (a, d) => a * d)).Select(_ => rnd.NextSingle() - 0.5f));
        return t;
    }

    private static OnnxNode N(string op, string name, string[] inputs, string output, params OnnxAttribute[] attrs)
    {
        var n = new OnnxNode { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attrs);
        return n;
    }

    private static OnnxAttribute Ints(string name, params long[] v)
    {
        var a = new OnnxAttribute { Name = name, Type = OnnxAttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
    private static OnnxAttribute Int(string name, long v) => new() { Name = name, Type = OnnxAttributeType.Int, I = v };

    private string WriteCnn()
    {
        var rnd = new Random(2);
        var g = new OnnxGraph { Name = "tiny_cnn" };
        g.Input.Add(Value("x", 1, 3, 16, 16));
        g.Output.Add(Value("logits", 1, 10));
        g.Initializer.Add(Init("w1", rnd, 8, 3, 3, 3));
        g.Initializer.Add(Init("b1", rnd, 8));
        g.Initializer.Add(Init("w2", rnd, 16, 8, 3, 3));
        g.Initializer.Add(Init("b2", rnd, 16));
        g.Initializer.Add(Init("wf", rnd, 10, 16));
        g.Initializer.Add(Init("bf", rnd, 10));
        g.Node.Add(N("Conv", "conv1", ["x", "w1", "b1"], "c1", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1)));
        g.Node.Add(N("Relu", "relu1", ["c1"], "r1"));
        g.Node.Add(N("MaxPool", "pool1", ["r1"], "p1", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)));
        g.Node.Add(N("Conv", "conv2", ["p1", "w2", "b2"], "c2", Ints("kernel_shape", 3, 3)));
        g.Node.Add(N("Relu", "relu2", ["c2"], "r2"));
        g.Node.Add(N("GlobalAveragePool", "gap", ["r2"], "g"));
        g.Node.Add(N("Flatten", "flat", ["g"], "f"));
        g.Node.Add(N("Gemm", "fc", ["f", "wf", "bf"], "logits", Int("transB", 1)));
        var m = new OnnxModel { IrVersion = 8, Graph = g, ProducerName = "test" };
        m.OpsetImport.Add(new OnnxOpsetId { Domain = "", Version = 13 });
        string path = Path.Combine(_dir, "tiny_cnn.onnx");
        File.WriteAllBytes(path, m.ToByteArray());
        return path;
    }

    // Hand count: conv1 8x16x16 outputs x 27 = 55296; conv2 16x6x6 outputs x 72 = 41472; fc 10 x 16 = 160.
    private const long ExpectedMacs = 55296 + 41472 + 160;
    private const long ExpectedParams = 8 * 27 + 8 + 16 * 72 + 16 + 160 + 10;

    [Fact]
    public void InfoShowsArenaLowerBoundMacsAndKernels()
    {
        var r = InfoCommand.Build(WriteCnn(), new CompileOptions());
        Assert.Equal(ExpectedMacs, r.Macs);
        Assert.Equal(ExpectedParams, r.Params);
        Assert.True(r.ArenaLowerBoundBytes > 0);
        Assert.True(r.ArenaBytes >= r.ArenaLowerBoundBytes);
        // Sequential model: the greedy plan reaches the lower bound.
        Assert.Equal(r.ArenaLowerBoundBytes, r.ArenaBytes);
        // Six fp32 weight tensors, each padded to 64 bytes.
        Assert.InRange(r.WeightsBytes, ExpectedParams * 4, ExpectedParams * 4 + 6 * 63);
        Assert.All(r.Operators, o => Assert.False(string.IsNullOrEmpty(o.Kernel)));
        Assert.Equal(["x"], r.Inputs.Select(i => i.Name));
        Assert.Equal([1, 10], r.Outputs[0].Shape);
    }

    [Fact]
    public void CompileThenInfoOnThePlanReportsTheSameFigures()
    {
        string model = WriteCnn();
        string plan = Path.Combine(_dir, "tiny_cnn.edge");
        var (code, stdout, err) = CliProcess.Run("compile", model, "-o", plan);
        Assert.True(code == 0, err);
        Assert.Contains("lower bound", stdout);
        (code, stdout, err) = CliProcess.Run("info", plan, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var j = doc.RootElement;
        var direct = InfoCommand.Build(model, new CompileOptions());
        Assert.Equal(direct.ArenaBytes, j.GetProperty("arena_bytes").GetInt64());
        Assert.Equal(direct.ArenaLowerBoundBytes, j.GetProperty("arena_lower_bound_bytes").GetInt64());
        Assert.Equal(direct.WeightsBytes, j.GetProperty("weights_bytes").GetInt64());
        Assert.Equal(ExpectedMacs, j.GetProperty("macs").GetInt64());
        Assert.Equal(ExpectedParams, j.GetProperty("params").GetInt64());
        Assert.Equal(direct.Operators.Length, j.GetProperty("operators").GetArrayLength());
    }
}
