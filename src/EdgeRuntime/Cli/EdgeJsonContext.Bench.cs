using System.Text.Json.Serialization;
using EdgeRuntime.Bench;

namespace EdgeRuntime.Cli;

[JsonSerializable(typeof(BenchResult))]
[JsonSerializable(typeof(MachineProfile))]
[JsonSerializable(typeof(PredictReport))]
public partial class EdgeJsonContext
{
}
