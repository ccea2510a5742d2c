using System.Text.Json.Serialization;

namespace EdgeRuntime.Cli;

/// <summary>The one source-generated JSON context for every result and report type (no reflection).
/// Areas add <c>[JsonSerializable]</c> attributes in their own partial declaration
/// (<c>EdgeJsonContext.&lt;Area&gt;.cs</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Conformance.ConformanceReport))]
public partial class EdgeJsonContext : JsonSerializerContext
{
}
