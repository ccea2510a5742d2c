using System.Text.Json.Serialization;

namespace EdgeRuntime.Realtime;

/// <summary>Source-generated JSON for report frames (compact, one per line) and run summaries.
/// A context of its own rather than a partial of <c>Cli.EdgeJsonContext</c>: the System.Text.Json
/// generator emits one file per type per partial declaration, so two declarations that share a type
/// (bool, string...) fail with a duplicate hintName ("EdgeJsonContext.Boolean.g.cs").</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReportFrame))]
[JsonSerializable(typeof(RealtimeSummary))]
public partial class RealtimeJsonContext : JsonSerializerContext
{
    private static RealtimeJsonContext? s_indented;

    /// <summary>The same types, indented (summaries printed with --json).</summary>
    public static RealtimeJsonContext Indented => s_indented ??= new RealtimeJsonContext(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    });
}
