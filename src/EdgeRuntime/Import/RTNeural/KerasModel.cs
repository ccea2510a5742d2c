using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.RTNeural;

/// <summary>Keras-style RTNeural sequential JSON (written by RTNeural's <c>model_utils.save_model</c>).</summary>
internal static class KerasModel
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "dense", "time-distributed-dense", "gru", "lstm", "conv1d", "conv2d", "batchnorm", "batchnorm2d", "prelu", "activation",
    };

    public static Graph Build(JsonElement root, string source, IReadOnlySet<string>? skipTypes, int maxFrames)
    {
        if (!root.TryGetProperty("in_shape", out var inShape) || inShape.ValueKind != JsonValueKind.Array || inShape.GetArrayLength() == 0)
            throw new ModelException($"{source}: missing 'in_shape'");
        var layers = root.GetProperty("layers");
        if (layers.ValueKind != JsonValueKind.Array) throw new ModelException($"{source}: 'layers' must be a list");
        var list = layers.EnumerateArray().ToList();

        // Refuse unknown types up front, all at once.
        var unknown = new List<string>();
        for (int i = 0; i < list.Count; i++)
        {
            string type = Str(list[i], "type", source, i, "");
            if (!Known.Contains(type) && !(skipTypes?.Contains(type) ?? false)) unknown.Add($"layer {i} '{type}'");
        }
        if (unknown.Count > 0)
            throw new ModelException($"{source}: unsupported RTNeural layer type(s): {string.Join(", ", unknown)} (supported: {string.Join(", ", Known.Order())})");

        int inWidth = Width(inShape, source, -1, "in_shape");
        var b = new RtNeuralGraphBuilder(source, inWidth, maxFrames);
        for (int i = 0; i < list.Count; i++)
        {
            var l = list[i];
            string type = Str(l, "type", source, i, "");
            if (skipTypes?.Contains(type) ?? false) continue;
            string where = $"{source}: layer {i} ({type})";
            string act = l.TryGetProperty("activation", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
            int width = l.TryGetProperty("shape", out var shp) ? Width(shp, source, i, "shape") : -1;
            var w = Weights(l, where);
            int cin = b.Channels;
            switch (type)
            {
                case "dense":
                case "time-distributed-dense":
                {
                    Need(w, 1, 2, where);
                    var W = w[0];
                    if (W.Rank != 2 || W.Shape[0] != cin) throw new ModelException($"{where}: weights[0] is {W.ShapeText}, expected [{cin}][out] for {cin} inputs");
                    int outs = W.Shape[1];
                    CheckWidth(width, outs, where, "weights[0]");
                    float[]? bias = null;
                    if (w.Count > 1)
                    {
                        if (w[1].Rank != 1 || w[1].Shape[0] != outs) throw new ModelException($"{where}: weights[1] (bias) is {w[1].ShapeText}, expected [{outs}]");
                        bias = w[1].Data;
                    }
                    b.Dense(W.Data, cin, outs, bias, act);
                    break;
                }
                case "gru":
                {
                    Need(w, 3, 3, where);
                    int h = width > 0 ? width : w[1].Shape[0];
                    if (w[0].Rank != 2 || w[0].Shape[0] != cin || w[0].Shape[1] != 3 * h)
                        throw new ModelException($"{where}: weights[0] (kernel) is {w[0].ShapeText}, expected [{cin}][{3 * h}] for {h} units");
                    if (w[1].Rank != 2 || w[1].Shape[0] != h || w[1].Shape[1] != 3 * h)
                        throw new ModelException($"{where}: weights[1] (recurrent kernel) is {w[1].ShapeText}, expected [{h}][{3 * h}] for {h} units");
                    bool resetAfter = w[2].Rank == 2;
                    if (resetAfter ? (w[2].Shape[0] != 2 || w[2].Shape[1] != 3 * h) : (w[2].Rank != 1 || w[2].Shape[0] != 3 * h))
                        throw new ModelException($"{where}: weights[2] (bias) is {w[2].ShapeText}, expected [2][{3 * h}] (reset_after) or [{3 * h}]");
                    var W = Transpose(w[0].Data, cin, 3 * h);   // [3H, in], gates z, r, h as Keras
                    var R = Transpose(w[1].Data, h, 3 * h);
                    var B = new float[6 * h];
                    if (resetAfter) Array.Copy(w[2].Data, B, 6 * h); else Array.Copy(w[2].Data, B, 3 * h);
                    b.Gru(W, R, B, h, linearBeforeReset: resetAfter);
                    break;
                }
                case "lstm":
                {
                    Need(w, 3, 3, where);
                    int h = width;
                    if (h <= 0) throw new ModelException($"{where}: 'shape' must give the number of units");
                    if (w[0].Rank != 2 || w[0].Shape[0] != cin || w[0].Shape[1] != 4 * h)
                        throw new ModelException($"{where}: weights[0] (kernel) is {w[0].ShapeText}, expected [{cin}][{4 * h}] for {h} units ('shape' says {h})");
                    if (w[1].Rank != 2 || w[1].Shape[0] != h || w[1].Shape[1] != 4 * h)
                        throw new ModelException($"{where}: weights[1] (recurrent kernel) is {w[1].ShapeText}, expected [{h}][{4 * h}] for {h} units ('shape' says {h})");
                    if (w[2].Rank != 1 || w[2].Shape[0] != 4 * h)
                        throw new ModelException($"{where}: weights[2] (bias) is {w[2].ShapeText}, expected [{4 * h}] for {h} units");
                    // Keras gate blocks i, f, c, o → ONNX i, o, f, c.
                    int[] order = [0, 3, 1, 2];
                    var W = ReorderRows(Transpose(w[0].Data, cin, 4 * h), order, h, cin);
                    var R = ReorderRows(Transpose(w[1].Data, h, 4 * h), order, h, h);
                    var B = new float[8 * h];
                    Array.Copy(ReorderRows(w[2].Data, order, h, 1), B, 4 * h);
                    b.Lstm(W, R, B, h);
                    break;
                }
                case "conv1d":
                {
                    Need(w, 1, 2, where);
                    int k = IntField(l, "kernel_size", where);
                    int d = IntField(l, "dilation", where);
                    int groups = l.TryGetProperty("groups", out var gr) && gr.ValueKind == JsonValueKind.Number ? gr.GetInt32() : 1;
                    if (k < 1 || d < 1 || groups < 1 || cin % groups != 0)
                        throw new ModelException($"{where}: kernel_size {k}, dilation {d}, groups {groups} invalid for {cin} input channels");
                    var W = w[0];
                    if (W.Rank != 3 || W.Shape[0] != k || W.Shape[1] != cin / groups)
                        throw new ModelException($"{where}: weights[0] is {W.ShapeText}, expected [{k}][{cin / groups}][out]");
                    int cout = W.Shape[2];
                    CheckWidth(width, cout, where, "weights[0]");
                    if (cout % groups != 0) throw new ModelException($"{where}: {cout} outputs not divisible by groups {groups}");
                    var wt = new float[cout * (cin / groups) * k];
                    int cig = cin / groups;
                    for (int kk = 0; kk < k; kk++)
                        for (int i2 = 0; i2 < cig; i2++)
                            for (int o = 0; o < cout; o++)
                                wt[(o * cig + i2) * k + kk] = W.Data[(kk * cig + i2) * cout + o];
                    float[]? bias = null;
                    if (w.Count > 1)
                    {
                        if (w[1].Rank != 1 || w[1].Shape[0] != cout) throw new ModelException($"{where}: weights[1] (bias) is {w[1].ShapeText}, expected [{cout}]");
                        bias = w[1].Data;
                    }
                    b.Conv1D(wt, cout, k, d, groups, bias, act);
                    act = "";
                    break;
                }
                case "batchnorm":
                case "batchnorm2d":
                {
                    if (w.Count is not (2 or 4)) throw new ModelException($"{where}: expected 2 (mean, var) or 4 (gamma, beta, mean, var) weight arrays, got {w.Count}");
                    int s = type == "batchnorm2d" ? IntField(l, "num_filters_in", where) : cin;
                    if (type == "batchnorm2d" && (s <= 0 || cin % s != 0)) throw new ModelException($"{where}: num_filters_in {s} does not divide the frame width {cin}");
                    foreach (var (arr, idx) in w.Select((x, n) => (x, n)))
                        if (arr.Data.Length != s) throw new ModelException($"{where}: weights[{idx}] is {arr.ShapeText}, expected [{s}]");
                    float eps = l.TryGetProperty("epsilon", out var e) && e.ValueKind == JsonValueKind.Number ? (float)e.GetDouble() : 1e-3f;
                    if (w.Count == 4) b.BatchNorm(w[2].Data, w[3].Data, w[0].Data, w[1].Data, eps);
                    else b.BatchNorm(w[0].Data, w[1].Data, null, null, eps);
                    CheckWidth(width, cin, where, "input");
                    break;
                }
                case "prelu":
                {
                    Need(w, 1, 1, where);
                    int n = w[0].Data.Length;
                    if (n != 1 && n != cin) throw new ModelException($"{where}: weights[0] (alpha) is {w[0].ShapeText}, expected {cin} or 1 values");
                    b.PRelu(w[0].Data);
                    CheckWidth(width, cin, where, "input");
                    break;
                }
                case "activation":
                    b.Activation(act);
                    act = "";
                    CheckWidth(width, cin, where, "input");
                    break;
                case "conv2d":
                    Conv2DLayer.Add(b, l, w, where, width);
                    break;
            }
            if (type is "batchnorm" or "batchnorm2d" or "prelu" or "conv2d" && act.Length > 0) b.Activation(act);
        }
        return b.Finish();
    }

    private static string Str(JsonElement l, string key, string source, int i, string dflt)
    {
        if (l.ValueKind != JsonValueKind.Object) throw new ModelException($"{source}: layer {i} is not an object");
        return l.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : dflt;
    }

    /// <summary>Width of a shape entry: last dimension, or dims[2]·dims[3] for 4-D shapes.</summary>
    private static int Width(JsonElement shape, string source, int i, string field)
    {
        if (shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() == 0)
            throw new ModelException($"{source}: {(i >= 0 ? $"layer {i} " : "")}'{field}' must be a list");
        var dims = shape.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetInt32() : -1).ToArray();
        int w = dims.Length == 4 ? dims[2] * dims[3] : dims[^1];
        if (w <= 0) throw new ModelException($"{source}: {(i >= 0 ? $"layer {i} " : "")}'{field}' has no width");
        return w;
    }

    private static int IntField(JsonElement l, string key, string where)
    {
        if (!l.TryGetProperty(key, out var v)) throw new ModelException($"{where}: missing '{key}'");
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0) v = v[0];
        if (v.ValueKind != JsonValueKind.Number) throw new ModelException($"{where}: '{key}' must be a number");
        return v.GetInt32();
    }

    private static List<JsonArray> Weights(JsonElement l, string where)
    {
        if (!l.TryGetProperty("weights", out var w)) return [];
        if (w.ValueKind != JsonValueKind.Array) throw new ModelException($"{where}: 'weights' must be a list");
        return w.EnumerateArray().Select((x, i) => JsonArray.Read(x, $"{where}: weights[{i}]")).ToList();
    }

    private static void Need(List<JsonArray> w, int min, int max, string where)
    {
        if (w.Count < min || w.Count > max)
            throw new ModelException($"{where}: expected {(min == max ? $"{min}" : $"{min}..{max}")} weight arrays, got {w.Count}");
    }

    private static void CheckWidth(int declared, int actual, string where, string field)
    {
        if (declared > 0 && declared != actual)
            throw new ModelException($"{where}: 'shape' says width {declared} but {field} gives {actual}");
    }

    public static float[] Transpose(float[] src, int rows, int cols)
    {
        var dst = new float[src.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[j * rows + i] = src[i * cols + j];
        return dst;
    }

    /// <summary>Reorder gate blocks of h rows each (rows of width <paramref name="cols"/>): block n of
    /// the result is block order[n] of the source.</summary>
    public static float[] ReorderRows(float[] src, int[] order, int h, int cols)
    {
        var dst = new float[src.Length];
        for (int n = 0; n < order.Length; n++)
            Array.Copy(src, order[n] * h * cols, dst, n * h * cols, h * cols);
        return dst;
    }
}
