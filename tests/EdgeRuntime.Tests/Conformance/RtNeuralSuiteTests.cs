using EdgeRuntime.Cli;
using EdgeRuntime.Conformance.RtNeural;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Conformance;

public class RtNeuralSuiteTests(ITestOutputHelper output)
{
    [RtNeuralDataFact]
    public void EveryModelMatchesItsReference()
    {
        var log = new StringWriter();
        var report = new RtNeuralSuite().Run(RtNeuralDataFactAttribute.DataDir, new Args([]), log);
        output.WriteLine(log.ToString());
        foreach (var f in report.Failures) output.WriteLine($"FAIL {f.Case}: {f.Reason}");
        Assert.Equal(0, report.Failed);
        Assert.True(report.Passed >= 35, $"only {report.Passed} cases ran");
    }
}
