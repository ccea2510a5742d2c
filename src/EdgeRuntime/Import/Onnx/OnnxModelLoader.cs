using EdgeRuntime.Ir;
using EdgeRuntime.Import.Onnx;

namespace EdgeRuntime.Import;

public static partial class ModelLoader
{
    static partial void RegisterOnnx(Dictionary<string, Func<string, Graph>> d) => d[".onnx"] = OnnxImporter.Load;
}
