namespace EdgeRuntime.Conformance;

public sealed partial class ConformanceCommand
{
    static partial void RegisterTflite(Action<IConformanceSuite> add) => add(new TfliteSuite());
}
