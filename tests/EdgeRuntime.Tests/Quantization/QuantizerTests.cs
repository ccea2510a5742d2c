using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Quantization;
using EdgeRuntime.Tests.Import.Tflite;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Quantization;

public class QuantizerTests(ITestOutputHelper output)
{
    /// <summary>A calibration folder holding the reference inputs of a float model (half as .npy, half raw).</summary>
    private static string CalibrationDir(string model, int[] shape)
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgert-calib-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        for (int s = 1; s <= 8; s++)
        {
            var bytes = File.ReadAllBytes(Path.Combine(MlperfTinyData.Dir, "reference", model, $"input_s{s}.bin"));
            if (s % 2 == 0) NpyFile.Write(Path.Combine(dir, $"in{s}.npy"), DataType.Float32, shape, bytes);
            else File.WriteAllBytes(Path.Combine(dir, $"in{s}.bin"), bytes);
        }
        return dir;
    }

    [MlperfTinyTheory]
    [InlineData("pretrainedResnet", new[] { 1, 32, 32, 3 }, RangeMethod.MinMax)]
    [InlineData("pretrainedResnet", new[] { 1, 32, 32, 3 }, RangeMethod.Percentile)]
    [InlineData("ad01_fp32", new[] { 1, 640 }, RangeMethod.MinMax)]
    public void FloatModelQuantizesToInt8KernelsWithPerLayerSnr(string model, int[] shape, RangeMethod method)
    {
        var fp32 = ModelLoader.Load(MlperfTinyData.Model(model + ".tflite"));
        var int8 = Quantizer.Quantize(fp32, new CalibrationOptions { Directory = CalibrationDir(model, shape), Method = method }, out var report);
        foreach (var l in report.Layers) output.WriteLine($"{l.OpType,-20} {l.Tensor,-60} SNR {l.SnrDb:F1} dB");
        Assert.Equal(8, report.CalibrationInputs);
        Assert.Equal(fp32.Nodes.Count, report.Layers.Count);
        foreach (var n in int8.Nodes.Where(n => n.OpType is "CONV_2D" or "DEPTHWISE_CONV_2D" or "FULLY_CONNECTED"))
        {
            Assert.Equal(DataType.Int8, int8[n.Inputs[0]].Type);
            Assert.Equal(DataType.Int8, int8[n.Inputs[1]].Type);
        }
        Assert.All(report.Layers, l => Assert.True(l.SnrDb > 10, $"{l.Tensor}: SNR {l.SnrDb:F1} dB"));

        // The quantized graph keeps the float interface and runs allocation-free.
        using var s = new Session(Compiler.Compile(Quantizer.Clone(int8)));
        Assert.Equal(DataType.Float32, s.Inputs[0].Type);
        Assert.Equal(DataType.Float32, s.Outputs[0].Type);
        AllocationAssert.NoAllocations(() => s.Run(), warmup: 1, repeats: 3);
    }

    [Fact]
    public void GraphsWithSeveralInputsAreRefused()
    {
        var g = new Graph { Source = "m.onnx" };
        g.Add(new Tensor("x", DataType.Float32, [1, 4]));
        g.Add(new Tensor("h", DataType.Float32, [1, 4]));
        g.Inputs.AddRange(["x", "h"]);
        g.Nodes.Add(new Node("Add", "add", ["x", "h"], ["y"]));
        g.Outputs.Add("y");
        var e = Assert.Throws<ModelException>(() => Quantizer.Quantize(g, new CalibrationOptions { Directory = "/nonexistent" }, out _));
        Assert.Contains("one input", e.Message);
    }
}
