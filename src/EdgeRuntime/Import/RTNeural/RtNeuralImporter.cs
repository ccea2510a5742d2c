using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.RTNeural;

/// <summary>Reads RTNeural JSON models into streaming graphs: Keras-style sequential files
/// (<c>{"in_shape":..,"layers":[..]}</c>) and PyTorch <c>state_dict</c> dumps of GRU/LSTM/Linear
/// stacks. Every weight shape is checked against the layer's declared width before anything is
/// built; errors name the layer index, type and field. Unknown layer types are refused, all listed
/// at once (RTNeural skips them silently), unless named in <c>skipTypes</c>.</summary>
public static class RtNeuralImporter
{
    public static Graph Load(string path, IReadOnlySet<string>? skipTypes = null, int maxFrames = RtNeuralGraphBuilder.DefaultMaxFrames)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, path, skipTypes, maxFrames);
    }

    public static Graph Parse(ReadOnlySpan<byte> json, string source, IReadOnlySet<string>? skipTypes = null, int maxFrames = RtNeuralGraphBuilder.DefaultMaxFrames)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ModelException($"{source}: not valid JSON ({e.Message})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ModelException($"{source}: expected a JSON object at the top level");
            Graph g = root.TryGetProperty("layers", out _)
                ? KerasModel.Build(root, source, skipTypes, maxFrames)
                : TorchStateDict.BuildSequential(root, source, maxFrames);
            if (root.TryGetProperty("samplerate", out var sr) && sr.ValueKind == JsonValueKind.Number && sr.GetDouble() > 0)
                g.SampleRate = sr.GetDouble();
            if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
                foreach (var p in meta.EnumerateObject())
                    if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                        g.Metadata[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            return g;
        }
    }
}
