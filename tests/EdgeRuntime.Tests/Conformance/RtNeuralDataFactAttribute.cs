using EdgeRuntime.Conformance;

namespace EdgeRuntime.Tests.Conformance;

/// <summary>A fact that is skipped, with the reason shown, when ../shared/conformance/rtneural is absent.</summary>
public sealed class RtNeuralDataFactAttribute : FactAttribute
{
    public static string DataDir => ConformanceCommand.SharedDir("conformance", "rtneural");

    public RtNeuralDataFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(DataDir, "models")))
            Skip = $"RTNeural conformance data not found at {Path.GetFullPath(DataDir)} (expected ../shared/conformance/rtneural beside the repository)";
    }
}
