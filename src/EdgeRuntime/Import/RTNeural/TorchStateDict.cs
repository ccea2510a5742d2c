using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.RTNeural;

/// <summary>PyTorch <c>state_dict</c> JSON as RTNeural's <c>torch_helpers</c> read it: a flat object of
/// named nested arrays. <see cref="BuildSequential"/> infers a GRU/LSTM/Linear stack from the key
/// names in file order; convolution layers need their configuration (kernel, dilation, groups), which
/// a state_dict does not carry, so they go through <see cref="RtNeuralGraphBuilder"/> with
/// <see cref="Read"/> by callers that know it.</summary>
public static class TorchStateDict
{
    /// <summary>Every array in the file by key (scalars such as <c>eps</c> become 1-element arrays).</summary>
    public static Dictionary<string, JsonArray> Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 16 });
        return Read(doc.RootElement, path);
    }

    public static Dictionary<string, JsonArray> Read(JsonElement root, string source)
    {
        var d = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var p in root.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number) d[p.Name] = new JsonArray([1], [(float)p.Value.GetDouble()]);
            else if (p.Value.ValueKind == JsonValueKind.Array) d[p.Name] = JsonArray.Read(p.Value, $"{source}: '{p.Name}'");
        }
        return d;
    }

    public static Graph BuildSequential(JsonElement root, string source, int maxFrames)
    {
        var t = Read(root, source);
        if (t.Count == 0) throw new ModelException($"{source}: neither an RTNeural 'layers' list nor a PyTorch state_dict");
        // Prefixes in order of first appearance.
        var prefixes = new List<string>();
        foreach (var key in t.Keys)
        {
            string p = Prefix(key);
            if (!prefixes.Contains(p)) prefixes.Add(p);
        }
        RtNeuralGraphBuilder? b = null;
        foreach (var p in prefixes)
        {
            string where = $"{source}: '{p}'";
            if (t.ContainsKey(p + "weight_ih_l0"))
            {
                var w0 = t[p + "weight_ih_l0"];
                var r0 = Get(t, p + "weight_hh_l0", where);
                if (w0.Rank != 2 || r0.Rank != 2) throw new ModelException($"{where}: weight_ih_l0/weight_hh_l0 must be 2-D");
                int h = r0.Shape[1];
                b ??= new RtNeuralGraphBuilder(source, w0.Shape[1], maxFrames);
                for (int layer = 0; t.ContainsKey($"{p}weight_ih_l{layer}"); layer++)
                    AddRecurrent(b, t, p, layer, h, where);
            }
            else if (t.TryGetValue(p + "weight", out var w) && w.Rank == 2)
            {
                b ??= new RtNeuralGraphBuilder(source, w.Shape[1], maxFrames);
                AddLinear(b, t, p, where);
            }
            else
                throw new ModelException($"{where}: cannot infer the layer from a state_dict (keys {string.Join(", ", t.Keys.Where(k => Prefix(k) == p))}); only GRU, LSTM and Linear stacks are self-describing");
        }
        return b!.Finish();
    }

    private static string Prefix(string key)
    {
        int i = key.IndexOf("weight_", StringComparison.Ordinal);
        if (i < 0) i = key.IndexOf("bias_", StringComparison.Ordinal);
        if (i >= 0 && (key.Contains("_ih_l", StringComparison.Ordinal) || key.Contains("_hh_l", StringComparison.Ordinal))) return key[..i];
        int dot = key.LastIndexOf('.');
        return dot >= 0 ? key[..(dot + 1)] : "";
    }

    public static JsonArray Get(Dictionary<string, JsonArray> t, string key, string where) =>
        t.TryGetValue(key, out var a) ? a : throw new ModelException($"{where}: missing '{key}'");

    /// <summary>torch.nn.Linear: weight [out][in], bias [out].</summary>
    public static void AddLinear(RtNeuralGraphBuilder b, Dictionary<string, JsonArray> t, string p, string where, string activation = "")
    {
        var w = Get(t, p + "weight", where);
        if (w.Rank != 2 || w.Shape[1] != b.Channels) throw new ModelException($"{where}: {p}weight is {w.ShapeText}, expected [out][{b.Channels}]");
        int outs = w.Shape[0];
        float[]? bias = null;
        if (t.TryGetValue(p + "bias", out var bb))
        {
            if (bb.Data.Length != outs) throw new ModelException($"{where}: {p}bias is {bb.ShapeText}, expected [{outs}]");
            bias = bb.Data;
        }
        b.Dense(KerasModel.Transpose(w.Data, outs, b.Channels), b.Channels, outs, bias, activation);
    }

    /// <summary>One layer of torch.nn.GRU (gates r, z, n) or LSTM (gates i, f, g, o), mapped to ONNX
    /// order (GRU z, r, h with linear_before_reset; LSTM i, o, f, c).</summary>
    public static void AddRecurrent(RtNeuralGraphBuilder b, Dictionary<string, JsonArray> t, string p, int layer, int h, string where)
    {
        var w = Get(t, $"{p}weight_ih_l{layer}", where);
        var r = Get(t, $"{p}weight_hh_l{layer}", where);
        int cin = b.Channels;
        int rows = w.Shape[0];
        bool gru = rows == 3 * h, lstm = rows == 4 * h;
        if (w.Rank != 2 || (!gru && !lstm) || w.Shape[1] != cin)
            throw new ModelException($"{where}: weight_ih_l{layer} is {w.ShapeText}, expected [3·{h} or 4·{h}][{cin}]");
        if (r.Rank != 2 || r.Shape[0] != rows || r.Shape[1] != h)
            throw new ModelException($"{where}: weight_hh_l{layer} is {r.ShapeText}, expected [{rows}][{h}]");
        float[] bih = t.TryGetValue($"{p}bias_ih_l{layer}", out var x1) ? x1.Data : new float[rows];
        float[] bhh = t.TryGetValue($"{p}bias_hh_l{layer}", out var x2) ? x2.Data : new float[rows];
        if (bih.Length != rows || bhh.Length != rows) throw new ModelException($"{where}: bias_ih_l{layer}/bias_hh_l{layer} must have {rows} entries");
        int[] order = gru ? [1, 0, 2] : [0, 3, 1, 2];
        var W = KerasModel.ReorderRows(w.Data, order, h, cin);
        var R = KerasModel.ReorderRows(r.Data, order, h, h);
        var B = new float[2 * rows];
        Array.Copy(KerasModel.ReorderRows(bih, order, h, 1), 0, B, 0, rows);
        Array.Copy(KerasModel.ReorderRows(bhh, order, h, 1), 0, B, rows, rows);
        if (gru) b.Gru(W, R, B, h, linearBeforeReset: true);
        else b.Lstm(W, R, B, h);
    }
}
