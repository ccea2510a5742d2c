using System.Text.Json;
using EdgeRuntime.Bench;
using EdgeRuntime.Cli;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Tests.Bench;

public class CompareCommandTests
{
    private static BenchResult Result(string cpu, double medianUs, params (string Name, double Us)[] layers) => new()
    {
        Model = "cnn.onnx",
        Machine = new MachineInfo { CpuModel = cpu, Arch = "x64", IsaFeatures = ["avx2"] },
        Frames = 1,
        MedianUs = medianUs,
        P99Us = medianUs * 1.1,
        MaxUs = medianUs * 2,
        Layers = layers.Select(l => new LayerProfile { Name = l.Name, Op = "Conv", MedianUs = l.Us }).ToList(),
    };

    [Fact]
    public void RendersBothRunsSideBySideWithRatiosPerModelAndPerLayer()
    {
        var desktop = Result("Desktop CPU", 100, ("conv1", 60), ("conv2", 40));
        var board = Result("Cortex-A76", 400, ("conv1", 300), ("conv2", 100));
        string md = CompareCommand.Render([desktop, board], ["desktop.json", "board.json"], markdown: true);
        var lines = md.Split('\n');
        Assert.Contains("|  | desktop | board |", lines);
        Assert.Contains(lines, l => l.StartsWith("| median us | 100.00 | 400.00 |"));
        Assert.Contains(lines, l => l.StartsWith("| ratio to first | 1.00x | 4.00x |"));
        Assert.Contains(lines, l => l.StartsWith("| conv1 | 60.00 | 300.00 (5.00x) |"));
        Assert.Contains(lines, l => l.StartsWith("| conv2 | 40.00 | 100.00 (2.50x) |"));
        string text = CompareCommand.Render([desktop, board], ["desktop.json", "board.json"], markdown: false);
        Assert.Contains("Cortex-A76 (x64)", text);
        Assert.DoesNotContain("|", text);
    }

    [Fact]
    public void ReadsBenchJsonBackAndRefusesOtherFiles()
    {
        string dir = Directory.CreateTempSubdirectory("edgert-compare").FullName;
        try
        {
            string good = Path.Combine(dir, "a.json");
            File.WriteAllText(good, JsonSerializer.Serialize(Result("X", 12.5, ("l", 1)), BenchJsonContext.Default.BenchResult));
            var back = CompareCommand.Load(good);
            Assert.Equal(12.5, back.MedianUs);
            Assert.Equal("X", back.Machine.CpuModel);
            string json = File.ReadAllText(good);
            foreach (var field in new[] { "\"median_us\"", "\"p99_us\"", "\"rtf\"", "\"layers\"", "\"machine\"" })
                Assert.Contains(field, json);
            string bad = Path.Combine(dir, "b.json");
            File.WriteAllText(bad, "[1,2,3]");
            var e = Assert.Throws<ModelException>(() => CompareCommand.Load(bad));
            Assert.Contains("not an edgert bench result", e.Message);
            Assert.Throws<ModelException>(() => CompareCommand.Load(Path.Combine(dir, "missing.json")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
