using EdgeRuntime.Cli;
using EdgeRuntime.Conformance;
using EdgeRuntime.Tests.Import.Tflite;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Conformance;

public class TfliteConformanceTests(ITestOutputHelper output)
{
    [MlperfTinyFact]
    public void EveryReferenceRecordOfAllEightModelsMatches()
    {
        var suite = new TfliteSuite();
        var records = TfliteSuite.ReadIndex(Path.Combine(MlperfTinyData.Dir, "reference", "index.json"));
        var report = suite.Run(MlperfTinyData.Dir, new Args([]), TextWriter.Null);
        foreach (var f in report.Failures) output.WriteLine($"FAIL {f.Case}: {f.Reason}");
        output.WriteLine($"{report.Passed} passed, {report.Failed} failed over {records.Count} reference records");
        Assert.Equal(8, records.Select(r => r.Model).Distinct().Count());
        Assert.Contains(records, r => r.Kind == "logits");
        Assert.Equal(0, report.Failed);
        Assert.Equal(records.Count, report.Passed);
    }
}
