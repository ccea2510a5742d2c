using System.Text.Json.Serialization;

namespace EdgeRuntime.Cli;

/// <summary>Source-generated JSON for the kernel commands (selftest, bench kernels). A separate context:
/// adding these attributes in a second partial declaration of <see cref="EdgeJsonContext"/> makes the .NET 10
/// JSON source generator emit duplicate hint names (CS8785, "EdgeJsonContext.Boolean.g.cs must be unique").</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(List<Kernels.SelfTest.SelfTestResult>))]
[JsonSerializable(typeof(List<Bench.KernelBenchRecord>))]
public partial class KernelJsonContext : JsonSerializerContext
{
}
