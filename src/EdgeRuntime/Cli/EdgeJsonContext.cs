using System.Text.Json.Serialization;

namespace EdgeRuntime.Cli;

/// <summary>Source-generated JSON context (no reflection) for conformance reports. Areas with many
/// types keep a context of their own (PlanJsonContext, RealtimeJsonContext, BenchJsonContext): the
/// generator fails (CS8785) when [JsonSerializable] attributes are spread over partial declarations.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Conformance.ConformanceReport))]
public partial class EdgeJsonContext : JsonSerializerContext
{
}
