using EdgeRuntime.Bench;
using EdgeRuntime.Conformance.RtNeural;
using EdgeRuntime.Execution;
using EdgeRuntime.Import.RTNeural;
using EdgeRuntime.Tests.Conformance;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Bench;

public class StreamingBenchTests(ITestOutputHelper output)
{
    [RtNeuralDataFact]
    public void BenchSignalIsTheSharedBenchmarkInput()
    {
        var want = CsvMatrix.Read(Path.Combine(RtNeuralDataFactAttribute.DataDir, "bench", "reference", "input.csv")).Flat();
        var got = StreamingBench.BenchSignal(want.Length);
        Assert.Equal(want, got);
    }

    [Fact]
    public void MeasureRtfGivesAPositiveFigure()
    {
        var b = new RtNeuralGraphBuilder("tiny", 1, 16);
        b.Dense([0.5f, -0.25f], 1, 2, null, "tanh");
        b.Dense([1f, 1f], 2, 1, null);
        using var s = new StreamingSession(b.Finish(), 16);
        foreach (int block in new[] { 1, 5, 16 })
        {
            double rtf = StreamingBench.MeasureRtf(s, 48000, 2000, block);
            Assert.True(rtf > 0 && double.IsFinite(rtf), $"rtf {rtf}");
        }
    }

    /// <summary>Hand-run: <c>EDGERT_BENCH=1 dotnet test -c Release --filter RtNeuralBenchTable --logger "console;verbosity=detailed"</c>.</summary>
    [ManualBenchFact]
    public void RtNeuralBenchTable()
    {
        string dir = Path.Combine(RtNeuralDataFactAttribute.DataDir, "bench", "models");
        var files = Directory.GetFiles(dir, "*.json").Append(Path.Combine(RtNeuralDataFactAttribute.DataDir, "models", "full_model.json"));
        foreach (var f in files.Order(StringComparer.Ordinal))
        {
            var line = $"{Path.GetFileNameWithoutExtension(f),-16}";
            foreach (int block in new[] { 1, 64 })
            {
                using var s = new StreamingSession(RtNeuralImporter.Load(f), 64);
                double rtf = StreamingBench.MeasureRtf(s, 48000, 480000, block);
                Assert.True(rtf > 0);
                line += $"  block {block,2}: RTF {rtf,7:F0}";
            }
            output.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}

/// <summary>Runs only when EDGERT_BENCH=1 and the RTNeural data is present (benchmarks are not timed tests).</summary>
public sealed class ManualBenchFactAttribute : FactAttribute
{
    public ManualBenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("EDGERT_BENCH") != "1") Skip = "manual benchmark: set EDGERT_BENCH=1 to run";
        else if (!Directory.Exists(RtNeuralDataFactAttribute.DataDir)) Skip = "RTNeural bench models not found";
    }
}
