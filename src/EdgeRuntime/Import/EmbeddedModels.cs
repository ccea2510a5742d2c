using EdgeRuntime.Import.RTNeural;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import;

/// <summary>Models compiled into the binary (src/EdgeRuntime/Models/*.json, embedded as
/// <c>EdgeRuntime.Models.&lt;file&gt;</c>). The default is the small GRU amp model that
/// <c>tools/train_amp.py</c> trains; <c>edgert demo</c> runs it.</summary>
public static class EmbeddedModels
{
    public const string DefaultName = "default_amp.json";

    /// <summary>The default demo model as a streaming graph (48 kHz, 1 in, 1 out).</summary>
    public static Graph LoadDefault() => Load(DefaultName);

    public static Graph Load(string file) => RtNeuralImporter.Parse(ReadBytes(file), $"embedded:{file}");

    /// <summary>Raw bytes of an embedded model file.</summary>
    public static byte[] ReadBytes(string file)
    {
        string resource = "EdgeRuntime.Models." + file;
        using var s = typeof(EmbeddedModels).Assembly.GetManifestResourceStream(resource)
            ?? throw new ModelException($"embedded model '{file}' is not in this build (resource {resource})");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    public static IEnumerable<string> Names =>
        typeof(EmbeddedModels).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("EdgeRuntime.Models.", StringComparison.Ordinal))
            .Select(n => n["EdgeRuntime.Models.".Length..]);
}
