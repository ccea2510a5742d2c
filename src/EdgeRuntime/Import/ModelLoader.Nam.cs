using EdgeRuntime.Import.Nam;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import;

public static partial class ModelLoader
{
    static partial void RegisterNam(Dictionary<string, Func<string, Graph>> d)
    {
        d[".nam"] = path => NamImporter.Load(path);
    }
}
