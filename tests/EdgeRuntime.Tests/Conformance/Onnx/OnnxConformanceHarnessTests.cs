using EdgeRuntime.Conformance.Onnx;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Tests.Conformance.Onnx;

public class OnnxConformanceHarnessTests
{
    [Fact]
    public void ToleranceIsTheOnnxRunnersAllclose()
    {
        Assert.Equal(1e-3, OnnxConformanceSuite.RelativeTolerance);
        Assert.Equal(1e-7, OnnxConformanceSuite.AbsoluteTolerance);
        Assert.True(OnnxConformanceSuite.Close(1000.9f, 1000f));    // 0.9 ≤ 1e-7 + 1.0
        Assert.False(OnnxConformanceSuite.Close(1001.2f, 1000f));
        Assert.True(OnnxConformanceSuite.Close(0f, 5e-8f));
        Assert.False(OnnxConformanceSuite.Close(0f, 1e-6f));
        Assert.True(OnnxConformanceSuite.Close(float.NaN, float.NaN));
        Assert.False(OnnxConformanceSuite.Close(0f, float.NaN));
        Assert.False(OnnxConformanceSuite.Close(float.NegativeInfinity, float.PositiveInfinity));
    }

    [Fact]
    public void CompareReportsTheFirstMismatch()
    {
        float[] a = [1, 2, 3.5f], e = [1, 2, 3];
        string? r = OnnxConformanceSuite.Compare(DataType.Float32,
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()), System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.AsSpan()));
        Assert.NotNull(r);
        Assert.Contains("1 of 3", r);
        Assert.Contains("[2]", r);
        long[] i = [1, 2], j = [1, 3];
        Assert.NotNull(OnnxConformanceSuite.Compare(DataType.Int64,
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(i.AsSpan()), System.Runtime.InteropServices.MemoryMarshal.AsBytes(j.AsSpan())));
    }

    [Fact]
    public void ScopeIsTheIssueListAndShapeInputsExcludeData()
    {
        Assert.Contains("Conv", OnnxConformanceScope.Operators);
        Assert.Contains("Constant", OnnxConformanceScope.Operators);
        Assert.DoesNotContain("Resize", OnnxConformanceScope.Operators);
        Assert.True(OnnxConformanceScope.IsShapeInput("Reshape", 1));
        Assert.False(OnnxConformanceScope.IsShapeInput("Reshape", 0));
        Assert.False(OnnxConformanceScope.IsShapeInput("Clip", 1));   // Clip min/max stay run-time inputs
        Assert.False(OnnxConformanceScope.IsShapeInput("Conv", 1));   // weights stay run-time inputs
        Assert.False(OnnxConformanceScope.IsShapeInput("Gather", 1));
    }

    [OnnxDataFact]
    public void UnsupportedTypesAreSkippedWithTheType()
    {
        var r = OnnxConformanceSuite.RunCase(OnnxTestData.Case("test_cast_FLOAT_to_STRING")!);
        Assert.Equal(OnnxConformanceSuite.CaseOutcome.Skipped, r.Outcome);
        Assert.Contains("string", r.Reason);
        r = OnnxConformanceSuite.RunCase(OnnxTestData.Case("test_max_float16")!);
        Assert.Equal(OnnxConformanceSuite.CaseOutcome.Skipped, r.Outcome);
        Assert.Contains("float16 is storage-only", r.Reason);
        Assert.Contains("Max", r.Reason);
        r = OnnxConformanceSuite.RunCase(OnnxTestData.Case("test_cast_FLOAT_to_BFLOAT16")!);
        Assert.Equal(OnnxConformanceSuite.CaseOutcome.Skipped, r.Outcome);
        Assert.Contains("bfloat16", r.Reason);
    }

    [OnnxDataFact]
    public void OutOfScopeOperatorsAreNotCounted()
    {
        Assert.Equal(OnnxConformanceSuite.CaseOutcome.OutOfScope, OnnxConformanceSuite.RunCase(OnnxTestData.Case("test_acos")!).Outcome);
        var report = OnnxConformanceSuite.RunAll(OnnxTestData.NodeDir!, "test_acos", TextWriter.Null);
        Assert.Equal(0, report.Passed + report.Failed + report.Skipped);
    }

    [OnnxDataFact]
    public void ConstantAndIdentityCasesPass()
    {
        Assert.Equal(OnnxConformanceSuite.CaseOutcome.Passed, OnnxConformanceSuite.RunCase(OnnxTestData.Case("test_constant")!).Outcome);
        Assert.Equal(OnnxConformanceSuite.CaseOutcome.Passed, OnnxConformanceSuite.RunCase(OnnxTestData.Case("test_identity")!).Outcome);
    }
}
