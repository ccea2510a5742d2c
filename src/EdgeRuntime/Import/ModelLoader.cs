using EdgeRuntime.Ir;

namespace EdgeRuntime.Import;

/// <summary>Opens a model file by its extension (".onnx", ".json" RTNeural, ".nam", ".tflite").
/// Each importer registers itself in its own partial method.</summary>
public static partial class ModelLoader
{
    private static readonly Dictionary<string, Func<string, Graph>> s_importers = Build();

    private static Dictionary<string, Func<string, Graph>> Build()
    {
        var d = new Dictionary<string, Func<string, Graph>>(StringComparer.OrdinalIgnoreCase);
        RegisterOnnx(d);
        RegisterRtNeural(d);
        RegisterNam(d);
        RegisterTflite(d);
        return d;
    }

    static partial void RegisterOnnx(Dictionary<string, Func<string, Graph>> d);
    static partial void RegisterRtNeural(Dictionary<string, Func<string, Graph>> d);
    static partial void RegisterNam(Dictionary<string, Func<string, Graph>> d);
    static partial void RegisterTflite(Dictionary<string, Func<string, Graph>> d);

    public static IEnumerable<string> Extensions => s_importers.Keys;

    public static Graph Load(string path)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: file not found");
        string ext = Path.GetExtension(path);
        if (!s_importers.TryGetValue(ext, out var import))
            throw new ModelException($"{path}: unknown model format '{ext}' (known: {string.Join(", ", s_importers.Keys.Order())})");
        try
        {
            var g = import(path);
            if (g.Source.Length == 0) g.Source = path;
            return g;
        }
        catch (ModelException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelException($"{path}: cannot read model ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
