using EdgeRuntime.Conformance.Onnx;

namespace EdgeRuntime.Conformance;

public sealed partial class ConformanceCommand
{
    static partial void RegisterOnnx(Action<IConformanceSuite> add) => add(new OnnxConformanceSuite());
}
