using EdgeRuntime.Cli;
using EdgeRuntime.Conformance;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Conformance;

public class NamConformanceTests(ITestOutputHelper output)
{
    [NamDataFact]
    public void EveryReferenceMatchesWithinTolerance()
    {
        var log = new StringWriter();
        var report = new NamConformanceSuite().Run(NamDataFactAttribute.Dir, new Args([]), log);
        output.WriteLine(log.ToString());
        foreach (var f in report.Failures) output.WriteLine($"FAIL {f.Case}: {f.Reason}");
        var (_, cases) = NamConformanceSuite.ReadManifest(NamDataFactAttribute.Dir);
        Assert.Equal(0, report.Failed);
        Assert.Equal(cases.Count, report.Passed);
    }
}
