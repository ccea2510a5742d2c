using EdgeRuntime.Cli;
using EdgeRuntime.Conformance;
using EdgeRuntime.Conformance.Neon;
using EdgeRuntime.Kernels.Isa;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Conformance.Neon;

public class NeonConformanceTests(ITestOutputHelper output)
{
    private static string? VectorsDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string c = Path.Combine(d.FullName, "shared", "neon-vectors");
            if (Directory.Exists(c)) return c;
        }
        return null;
    }

    [Fact]
    public void ModelPassesEveryHardwareVector()
    {
        string? dir = VectorsDir();
        if (dir is null) { output.WriteLine("SKIPPED: ../shared/neon-vectors not found"); return; }
        var report = new NeonConformanceSuite().Run(dir, new Args([]), TextWriter.Null);
        foreach (var f in report.Failures) output.WriteLine($"FAIL {f.Case}: {f.Reason}");
        Assert.Equal(0, report.Failed);
        Assert.True(report.Passed >= 700, $"only {report.Passed} cases ran");
        // every instruction the kernels use is either verified by vectors or listed with a reason
        foreach (var u in report.Unverified) Assert.False(string.IsNullOrWhiteSpace(u.Reason));
        Assert.Contains(report.Unverified, u => u.Case.StartsWith("SMULL/SMULL2 Vd.2D", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Unverified, u => u.Case.StartsWith("SQRDMULH", StringComparison.Ordinal));
    }

    [Fact]
    public void CorruptedExpectationIsReportedAsFailure()
    {
        string? dir = VectorsDir();
        if (dir is null) { output.WriteLine("SKIPPED: ../shared/neon-vectors not found"); return; }
        string tmp = Directory.CreateTempSubdirectory("neonvec").FullName;
        try
        {
            string text = File.ReadAllText(Path.Combine(dir, "vqrdmulhq_s32.json"));
            var doc = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            var r = doc["cases"]![0]!["r"]!.AsArray();
            r[0] = r[0]!.GetValue<long>() + 1;
            File.WriteAllText(Path.Combine(tmp, "vqrdmulhq_s32.json"), doc.ToJsonString());
            var report = new NeonConformanceSuite().Run(tmp, new Args([]), TextWriter.Null);
            Assert.Equal(1, report.Failed);
            Assert.Contains("lane 0", report.Failures[0].Reason);
        }
        finally { Directory.Delete(tmp, true); }
    }

    [Fact]
    public void EveryUsedInstructionNamesItsVectorsOrAReason()
    {
        foreach (var u in NeonModelCatalog.UsedInstructions)
        {
            Assert.True(u.Intrinsics.Length > 0 || u.ReasonIfUnverified.Length > 0, u.Instruction);
            foreach (var i in u.Intrinsics) Assert.True(NeonModelCatalog.TryGet(i, out _), $"{u.Instruction}: {i} not in the model catalog");
        }
    }
}
