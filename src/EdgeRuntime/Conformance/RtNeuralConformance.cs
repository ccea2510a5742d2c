using EdgeRuntime.Conformance.RtNeural;

namespace EdgeRuntime.Conformance;

public sealed partial class ConformanceCommand
{
    static partial void RegisterRtNeural(Action<IConformanceSuite> add) => add(new RtNeuralSuite());
}
