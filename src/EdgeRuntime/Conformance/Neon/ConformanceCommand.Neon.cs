using EdgeRuntime.Conformance.Neon;

namespace EdgeRuntime.Conformance;

public sealed partial class ConformanceCommand
{
    static partial void RegisterNeon(Action<IConformanceSuite> add) => add(new NeonConformanceSuite());
}
