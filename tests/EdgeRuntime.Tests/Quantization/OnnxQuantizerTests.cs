using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;
using EdgeRuntime.Quantization;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Quantization;

/// <summary>Post-training quantization of float ONNX models: calibration from .npy/.bin files, the QDQ graph
/// folded onto the integer kernels, per-layer SNR, output close to fp32, and the plan through a .edge file.</summary>
public class OnnxQuantizerTests(ITestOutputHelper output)
{
    public static string CnnSmall => Path.Combine(RepoRoot(), "bench", "models", "cnn_small_32x32.onnx");

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "EdgeRuntime.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root (EdgeRuntime.sln) not found");
    }

    /// <summary>Smooth random images (a few low-frequency components plus noise), as .npy and raw float32 .bin.</summary>
    internal static string CalibrationDir(int[] shape, int files, int seed)
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgert-onnx-calib-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        for (int f = 0; f < files; f++)
        {
            var x = Image(shape, seed + f);
            var bytes = MemoryMarshal.AsBytes(x.AsSpan()).ToArray();
            if (f % 2 == 0) NpyFile.Write(Path.Combine(dir, $"in{f:D2}.npy"), DataType.Float32, shape, bytes);
            else File.WriteAllBytes(Path.Combine(dir, $"in{f:D2}.bin"), bytes);
        }
        return dir;
    }

    internal static float[] Image(int[] shape, int seed)
    {
        var r = new Random(seed);
        int n = shape.Aggregate(1, (a, d) => a * d);
        var x = new float[n];
        double fx = r.NextDouble() * 0.5, fy = r.NextDouble() * 0.5, ph = r.NextDouble() * 6;
        int w = shape[^1];
        for (int i = 0; i < n; i++)
            x[i] = (float)(Math.Sin((i % w) * fx + ph) + Math.Cos((i / w) * fy) + 0.3 * (r.NextDouble() - 0.5));
        return x;
    }

    private static float[] RunF32(Plan plan, float[] x)
    {
        using var s = new Session(plan);
        x.CopyTo(s.Input(0));
        s.Run();
        return s.Output(0).ToArray();
    }

    private static double SnrDb(float[] reference, float[] y)
    {
        double sig = 0, noise = 0;
        for (int i = 0; i < reference.Length; i++) { sig += reference[i] * (double)reference[i]; noise += (reference[i] - y[i]) * (double)(reference[i] - y[i]); }
        return 10 * Math.Log10(sig / Math.Max(noise, 1e-30));
    }

    [Theory]
    [InlineData(RangeMethod.MinMax)]
    [InlineData(RangeMethod.Percentile)]
    public void CnnSmallRunsOnInt8KernelsCloseToFp32(RangeMethod method)
    {
        var fp32 = ModelLoader.Load(CnnSmall);
        var dir = CalibrationDir([1, 3, 32, 32], 12, 100);
        var qdq = Quantizer.Quantize(fp32, new CalibrationOptions { Directory = dir, Method = method }, out var report);
        foreach (var l in report.Layers) output.WriteLine($"{(l.Int8 ? "int8" : "fp32")} {l.OpType,-20} {l.Node,-16} SNR {l.SnrDb:F1} dB");
        foreach (var n in report.Notes) output.WriteLine("note: " + n);
        Assert.Equal(12, report.CalibrationInputs);
        Assert.All(report.Layers, l => Assert.True(l.Int8, $"{l.OpType} '{l.Node}' is not int8"));
        Assert.Contains(report.Layers, l => l.OpType == "Conv+Relu");
        Assert.All(report.Layers, l => Assert.True(l.SnrDb > 20, $"{l.OpType} '{l.Node}': SNR {l.SnrDb:F1} dB"));

        var plan = Compiler.Compile(Quantizer.Clone(qdq));
        using var s = new Session(plan);
        var kernels = s.Kernels.Select(k => k.KernelName).ToList();
        output.WriteLine(string.Join(", ", kernels));
        Assert.Equal(2, kernels.Count(k => k.StartsWith("qlinearconv.i8.gemm.")));
        Assert.Contains(kernels, k => k.StartsWith("qgemm.i8.gemm."));
        Assert.Contains(kernels, k => k == "qlinearglobalaveragepool.i32sum");
        Assert.Contains(kernels, k => k == "maxpool.sbyte");
        Assert.DoesNotContain(plan.Graph.Nodes, n => n.OpType is "Conv" or "Gemm" or "MaxPool" && plan.Graph[n.Inputs[0]].Type == DataType.Float32);
        Assert.Equal(DataType.Float32, s.Inputs[0].Type);
        Assert.Equal(DataType.Float32, s.Outputs[0].Type);

        // A held-out input: the int8 plan's output is close to fp32.
        var x = Image([1, 3, 32, 32], 999);
        var want = RunF32(Compiler.Compile(Quantizer.Clone(fp32)), x);
        var got = RunF32(plan, x);
        double snr = SnrDb(want, got);
        output.WriteLine($"held-out output SNR {snr:F1} dB");
        Assert.True(snr > 20, $"output SNR {snr:F1} dB");
        AllocationAssert.NoAllocations(() => s.Run(), warmup: 1, repeats: 5);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void QuantizedPlanRoundTripsThroughAnEdgeFile()
    {
        var dir = CalibrationDir([1, 3, 32, 32], 4, 7);
        var qdq = Quantizer.Quantize(ModelLoader.Load(CnnSmall), new CalibrationOptions { Directory = dir }, out _);
        var plan = Compiler.Compile(qdq);
        string path = Path.Combine(dir, "cnn-int8.edge");
        PlanWriter.Write(plan, path);
        var loaded = PlanLoader.LoadAny(path);
        var x = Image([1, 3, 32, 32], 5);
        using var a = new Session(plan);
        using var b = new Session(loaded);
        x.CopyTo(a.Input(0)); x.CopyTo(b.Input(0));
        a.Run(); b.Run();
        Assert.True(a.OutputBytes(0).SequenceEqual(b.OutputBytes(0)));
        Assert.Equal(a.Kernels.Select(k => k.KernelName), b.Kernels.Select(k => k.KernelName));
        Directory.Delete(dir, true);
    }

    /// <summary>A generated CNN: Conv+BatchNorm+Relu, Conv+Clip, a residual Add, AveragePool, a 1×1 Conv into
    /// Sigmoid, GlobalAveragePool, Flatten, MatMul, then a constant bias Add and Softmax (no int8 form).</summary>
    internal static Graph GeneratedCnn()
    {
        var r = new Random(17);
        float[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((r.NextDouble() * 2 - 1) * scale)).ToArray();
        var g = new Graph { Source = "generated.onnx", Name = "generated", Format = "onnx" };
        g.Add(new Tensor("x", DataType.Float32, [1, 2, 16, 16]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("w1", [4, 2, 3, 3], Rand(72, 0.5)));
        g.Add(Tensor.FromFloats("b1", [4], Rand(4, 0.1)));
        g.Add(Tensor.FromFloats("bn_s", [4], Rand(4, 0.5).Select(v => v + 1f).ToArray()));
        g.Add(Tensor.FromFloats("bn_b", [4], Rand(4, 0.2)));
        g.Add(Tensor.FromFloats("bn_m", [4], Rand(4, 0.2)));
        g.Add(Tensor.FromFloats("bn_v", [4], Rand(4, 0.3).Select(v => v + 1f).ToArray()));
        g.Add(Tensor.FromFloats("w2", [4, 4, 3, 3], Rand(144, 0.3)));
        g.Add(Tensor.FromFloats("w3", [8, 4, 1, 1], Rand(32, 0.6)));
        g.Add(Tensor.FromFloats("b3", [8], Rand(8, 0.2)));
        g.Add(Tensor.FromFloats("lo", [], [0f]));
        g.Add(Tensor.FromFloats("hi", [], [6f]));
        g.Add(Tensor.FromFloats("wm", [8, 5], Rand(40, 1.0)));
        g.Add(Tensor.FromFloats("bm", [5], Rand(5, 0.1)));
        var pads = Ir.Attribute.Of(new long[] { 1, 1, 1, 1 });
        g.Nodes.Add(new Node("Conv", "conv1", ["x", "w1", "b1"], ["c1"]).Set("pads", pads));
        g.Nodes.Add(new Node("BatchNormalization", "bn1", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["n1"]));
        g.Nodes.Add(new Node("Relu", "relu1", ["n1"], ["r1"]));
        g.Nodes.Add(new Node("Conv", "conv2", ["r1", "w2"], ["c2"]).Set("pads", pads));
        g.Nodes.Add(new Node("Clip", "clip2", ["c2", "lo", "hi"], ["r2"]));
        g.Nodes.Add(new Node("Add", "residual", ["r1", "r2"], ["s"]));
        g.Nodes.Add(new Node("AveragePool", "pool", ["s"], ["p"]).Set("kernel_shape", Ir.Attribute.Of(new long[] { 2, 2 })).Set("strides", Ir.Attribute.Of(new long[] { 2, 2 })));
        g.Nodes.Add(new Node("Conv", "conv3", ["p", "w3", "b3"], ["c3"]));
        g.Nodes.Add(new Node("Sigmoid", "sig", ["c3"], ["a3"]));
        g.Nodes.Add(new Node("GlobalAveragePool", "gap", ["a3"], ["gp"]));
        g.Nodes.Add(new Node("Flatten", "flat", ["gp"], ["f"]));
        g.Nodes.Add(new Node("MatMul", "fc", ["f", "wm"], ["m"]));
        g.Nodes.Add(new Node("Add", "fc_bias", ["m", "bm"], ["logits"]));
        g.Nodes.Add(new Node("Softmax", "softmax", ["logits"], ["y"]));
        g.Outputs.Add("y");
        return g;
    }

    [Fact]
    public void GeneratedCnnQuantizesEveryLayerWithAnInt8FormAndNotesTheRest()
    {
        var fp32 = GeneratedCnn();
        var dir = CalibrationDir([1, 2, 16, 16], 10, 300);
        var qdq = Quantizer.Quantize(fp32, new CalibrationOptions { Directory = dir }, out var report);
        foreach (var l in report.Layers) output.WriteLine($"{(l.Int8 ? "int8" : "fp32")} {l.OpType,-20} {l.Node,-16} SNR {l.SnrDb:F1} dB");
        foreach (var n in report.Notes) output.WriteLine("note: " + n);
        string[] int8 = ["Conv+Relu", "Conv+Clip", "Add", "AveragePool", "Conv", "Sigmoid", "GlobalAveragePool", "Flatten", "MatMul"];
        Assert.Equal(int8, report.Layers.Where(l => l.Int8).Select(l => l.OpType));
        Assert.Equal(["fc_bias", "softmax"], report.Layers.Where(l => !l.Int8).Select(l => l.Node));
        Assert.Contains(report.Notes, n => n.Contains("Add 'fc_bias' stays fp32") && n.Contains("constant"));
        Assert.Contains(report.Notes, n => n.Contains("Softmax 'softmax' stays fp32: no int8 kernel"));
        Assert.All(report.Layers, l => Assert.True(l.SnrDb > 15, $"{l.OpType} '{l.Node}': SNR {l.SnrDb:F1} dB"));

        var plan = Compiler.Compile(Quantizer.Clone(qdq));
        using var s = new Session(plan);
        var kernels = s.Kernels.Select(k => k.KernelName).ToList();
        output.WriteLine(string.Join(", ", kernels));
        Assert.Equal(3, kernels.Count(k => k.StartsWith("qlinearconv.i8.gemm.")));
        foreach (var k in new[] { "qlinearadd.f32.v128", "qlinearaveragepool.i32sum", "lookuptable.i8", "qlinearglobalaveragepool.i32sum" }) Assert.Contains(k, kernels);
        Assert.Contains(kernels, k => k.StartsWith("qlinearmatmul.i8.gemm."));
        Assert.DoesNotContain(plan.Graph.Nodes, n => n.OpType is "Conv" or "MatMul" or "BatchNormalization" or "AveragePool" or "Sigmoid");

        var x = Image([1, 2, 16, 16], 4242);
        double snr = SnrDb(RunF32(Compiler.Compile(Quantizer.Clone(fp32)), x), RunF32(plan, x));
        output.WriteLine($"held-out output SNR {snr:F1} dB");
        Assert.True(snr > 25, $"output SNR {snr:F1} dB");
        AllocationAssert.NoAllocations(() => s.Run(), warmup: 1, repeats: 5);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void RecurrentModelStaysFp32WithANote()
    {
        string model = Path.Combine(RepoRoot(), "bench", "models", "gru_16_64_seq64.onnx");
        var fp32 = ModelLoader.Load(model);
        var shape = fp32[fp32.Inputs[0]].Shape;
        var dir = CalibrationDir(shape, 2, 1);
        var g = Quantizer.Quantize(fp32, new CalibrationOptions { Directory = dir }, out var report);
        foreach (var n in report.Notes) output.WriteLine("note: " + n);
        Assert.Contains(report.Notes, n => n.Contains("GRU") && n.Contains("recurrent layers stay fp32"));
        Assert.Contains(report.Layers, l => l.OpType == "GRU" && !l.Int8 && double.IsPositiveInfinity(l.SnrDb));
        Assert.DoesNotContain(g.Nodes, n => n.OpType == "GRU" && g[n.Inputs[0]].Type != DataType.Float32);
        Directory.Delete(dir, true);
    }
}
