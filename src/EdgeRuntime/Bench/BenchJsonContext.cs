using System.Text.Json.Serialization;
using EdgeRuntime.Cli;

namespace EdgeRuntime.Bench;

/// <summary>Source-generated JSON for benchmark results, machine profiles and predictions (no
/// reflection). A context of its own: the JSON generator cannot take [JsonSerializable] attributes
/// spread over several partial declarations of one context.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchResult))]
[JsonSerializable(typeof(MachineProfile))]
[JsonSerializable(typeof(PredictReport))]
public partial class BenchJsonContext : JsonSerializerContext
{
}
