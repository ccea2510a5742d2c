using EdgeRuntime.Import.Tflite;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import;

public static partial class ModelLoader
{
    static partial void RegisterTflite(Dictionary<string, Func<string, Graph>> d) => d[".tflite"] = TfliteImporter.Load;
}
