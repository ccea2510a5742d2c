namespace EdgeRuntime.Conformance;

public sealed partial class ConformanceCommand
{
    static partial void RegisterNam(Action<IConformanceSuite> add) => add(new NamConformanceSuite());
}
