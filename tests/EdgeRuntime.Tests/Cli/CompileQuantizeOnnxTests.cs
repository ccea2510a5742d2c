using System.Text.Json;
using EdgeRuntime.Tests.Quantization;

namespace EdgeRuntime.Tests.Cli;

/// <summary><c>edgert compile MODEL.onnx --quantize int8 --calib DIR</c> on a float ONNX CNN: the per-layer SNR
/// in compile's output, and in <c>edgert info PLAN</c> from the plan's metadata beside the int8 kernels.</summary>
public class CompileQuantizeOnnxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeq8").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CompileReportsPerLayerSnrAndInfoShowsItWithTheInt8Kernels()
    {
        string calib = OnnxQuantizerTests.CalibrationDir([1, 3, 32, 32], 6, 50);
        string plan = Path.Combine(_dir, "cnn-int8.edge");
        var (code, stdout, err) = CliProcess.Run("compile", OnnxQuantizerTests.CnnSmall, "-o", plan,
            "--quantize", "int8", "--calib", calib, "--calib-method", "percentile", "--percentile", "99.9");
        Directory.Delete(calib, true);
        Assert.True(code == 0, err + stdout);
        Assert.Contains("quantized to int8 on 6 calibration input(s), ranges by percentile 99.9", stdout);
        var layerLines = stdout.Split('\n').Where(l => l.TrimStart().StartsWith("int8 ") && l.Contains(" SNR ")).ToList();
        Assert.Equal(6, layerLines.Count);
        Assert.Contains(layerLines, l => l.Contains("Conv+Relu") && l.Contains(" dB"));

        (code, stdout, err) = CliProcess.Run("info", plan, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var meta = doc.RootElement.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var snr = meta.Where(kv => kv.Key.StartsWith("quant.snr.")).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        Assert.Equal(6, snr.Count);
        Assert.StartsWith("int8 Conv+Relu", snr[0]);
        Assert.Contains("dB vs fp32", snr[0]);
        Assert.Contains("percentile 99.9", meta["quant.calibration"]);
        var kernels = doc.RootElement.GetProperty("operators").EnumerateArray().Select(o => o.GetProperty("kernel").GetString()!).ToList();
        Assert.Equal(2, kernels.Count(k => k.StartsWith("qlinearconv.i8.gemm.")));
        Assert.Contains(kernels, k => k.StartsWith("qgemm.i8.gemm."));

        // The text form lists the same lines.
        (code, stdout, _) = CliProcess.Run("info", plan);
        Assert.Equal(0, code);
        Assert.Contains("quant.snr.000 = int8 Conv+Relu", stdout);
    }

    [Fact]
    public void QuantizeWithoutCalibrationIsAUsageError()
    {
        var (code, _, err) = CliProcess.Run("compile", OnnxQuantizerTests.CnnSmall, "-o", Path.Combine(_dir, "x.edge"), "--quantize", "int8");
        Assert.NotEqual(0, code);
        Assert.Contains("--calib", err);
    }
}
