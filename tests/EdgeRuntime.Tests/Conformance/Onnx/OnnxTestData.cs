using EdgeRuntime.Conformance.Onnx;

namespace EdgeRuntime.Tests.Conformance.Onnx;

/// <summary>Where the ONNX backend node tests (Debian <c>libonnx-testdata</c>) live on this machine.</summary>
public static class OnnxTestData
{
    public static string? NodeDir => OnnxConformanceSuite.FindDefaultDataDir();

    public const string MissingMessage =
        "ONNX node test data not found (install Debian's libonnx-testdata: apt-get install libonnx-testdata)";

    /// <summary>Path of one node test's folder, or null when the data package is absent.</summary>
    public static string? Case(string name) =>
        NodeDir is { } d && Directory.Exists(Path.Combine(d, name)) ? Path.Combine(d, name) : null;
}

/// <summary>A fact that is reported as skipped (with the reason) when the ONNX node test data is absent.</summary>
public sealed class OnnxDataFactAttribute : FactAttribute
{
    public OnnxDataFactAttribute()
    {
        if (OnnxTestData.NodeDir is null) Skip = OnnxTestData.MissingMessage;
    }
}

/// <summary>A theory that is reported as skipped (with the reason) when the ONNX node test data is absent.</summary>
public sealed class OnnxDataTheoryAttribute : TheoryAttribute
{
    public OnnxDataTheoryAttribute()
    {
        if (OnnxTestData.NodeDir is null) Skip = OnnxTestData.MissingMessage;
    }
}
