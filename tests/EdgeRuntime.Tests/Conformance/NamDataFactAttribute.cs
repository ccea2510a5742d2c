using EdgeRuntime.Conformance;

namespace EdgeRuntime.Tests.Conformance;

/// <summary>A fact that is skipped, with a message saying why, when ../shared/conformance/nam is absent.</summary>
public sealed class NamDataFactAttribute : FactAttribute
{
    public static string Dir => ConformanceCommand.SharedDir("conformance", "nam");
    public static bool Present => File.Exists(Path.Combine(Dir, "manifest.json"));

    public NamDataFactAttribute()
    {
        if (!Present) Skip = $"NAM conformance data not found at {Dir} (shared/conformance/nam); skipped";
    }
}
