using EdgeRuntime.Conformance;

namespace EdgeRuntime.Tests.Import.Tflite;

/// <summary>Where the MLPerf Tiny models and TFLite reference outputs live (../shared/conformance/mlperf-tiny).</summary>
public static class MlperfTinyData
{
    public static string Dir => ConformanceCommand.SharedDir("conformance", "mlperf-tiny");
    public static bool Available => File.Exists(Path.Combine(Dir, "reference", "index.json"));
    public static string Model(string file) => Path.Combine(Dir, file);
    public const string SkipReason = "MLPerf Tiny reference data not found (../shared/conformance/mlperf-tiny); skipped";
}

/// <summary>A fact that is skipped, with a clear reason, when the MLPerf Tiny data is absent.</summary>
public sealed class MlperfTinyFactAttribute : FactAttribute
{
    public MlperfTinyFactAttribute()
    {
        if (!MlperfTinyData.Available) Skip = MlperfTinyData.SkipReason;
    }
}

/// <summary>A theory that is skipped, with a clear reason, when the MLPerf Tiny data is absent.</summary>
public sealed class MlperfTinyTheoryAttribute : TheoryAttribute
{
    public MlperfTinyTheoryAttribute()
    {
        if (!MlperfTinyData.Available) Skip = MlperfTinyData.SkipReason;
    }
}
