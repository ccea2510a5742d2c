using EdgeRuntime.Import.RTNeural;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import;

public static partial class ModelLoader
{
    static partial void RegisterRtNeural(Dictionary<string, Func<string, Graph>> d)
    {
        d[".json"] = path => RtNeuralImporter.Load(path);
    }
}
