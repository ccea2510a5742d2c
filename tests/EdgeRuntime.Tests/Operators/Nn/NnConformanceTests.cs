using EdgeRuntime.Conformance.Onnx;
using EdgeRuntime.Tests.Conformance.Onnx;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Operators.Nn;

/// <summary>The ONNX node tests of the neural-network operators (their graphs use no other operator).</summary>
public class NnConformanceTests(ITestOutputHelper output)
{
    [OnnxDataTheory]
    [InlineData("test_conv", 4)]
    [InlineData("test_basic_conv", 2)]
    [InlineData("test_convtranspose", 10)]
    [InlineData("test_gemm", 11)]
    [InlineData("test_matmul", 3)]
    [InlineData("pool", 32)]
    [InlineData("test_batchnorm", 2)]
    public void NodeTestsPass(string filter, int atLeast)
    {
        var report = OnnxConformanceSuite.RunAll(OnnxTestData.NodeDir!, filter, TextWriter.Null);
        foreach (var s in report.SkippedCases) output.WriteLine($"skipped {s.Case}: {s.Reason}");
        Assert.True(report.Failed == 0, string.Join("\n", report.Failures.Select(f => $"{f.Case}: {f.Reason}")));
        Assert.True(report.Passed >= atLeast, $"{report.Passed} passed, expected at least {atLeast}");
    }
}
