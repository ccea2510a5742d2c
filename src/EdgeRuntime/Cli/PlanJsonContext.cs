using System.Text.Json.Serialization;

namespace EdgeRuntime.Cli;

/// <summary>Source-generated JSON for the plan commands (<c>info --json</c>). A separate context
/// rather than a partial of <see cref="EdgeJsonContext"/>: the System.Text.Json source generator
/// (.NET 9/10 SDK) fails with CS8785 "hintName ... must be unique" when [JsonSerializable] attributes
/// sit on two partial declarations of one context (dotnet/runtime#99669). Same options as
/// EdgeJsonContext; fold it in when the contexts are merged into one declaration.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InfoReport))]
public partial class PlanJsonContext : JsonSerializerContext
{
}
