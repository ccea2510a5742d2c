using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.RTNeural;

/// <summary>RTNeural <c>conv2d</c> layers: causal along time (streaming over frames), valid/same
/// padding with stride along the feature axis, frames laid out [features, filters].</summary>
internal static class Conv2DLayer
{
    public static void Add(RtNeuralGraphBuilder b, JsonElement l, List<JsonArray> w, string where, int width)
    {
        int Int(string key)
        {
            if (!l.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Number) throw new ModelException($"{where}: missing numeric '{key}'");
            return v.GetInt32();
        }
        int kt = Int("kernel_size_time"), kf = Int("kernel_size_feature"), dil = Int("dilation"), stride = Int("strides");
        int cin = Int("num_filters_in"), fin = Int("num_features_in"), cout = Int("num_filters_out");
        string padding = l.TryGetProperty("padding", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "valid";
        if (kt < 1 || kf < 1 || dil < 1 || stride < 1 || cin < 1 || fin < 1 || cout < 1)
            throw new ModelException($"{where}: sizes must be ≥ 1");
        if (fin * cin != b.Channels)
            throw new ModelException($"{where}: num_features_in {fin} × num_filters_in {cin} = {fin * cin}, but the previous layer gives {b.Channels}");
        if (w.Count is < 1 or > 2) throw new ModelException($"{where}: expected 1 or 2 weight arrays, got {w.Count}");
        var W = w[0];
        if (W.Rank != 4 || W.Shape[0] != kt || W.Shape[1] != kf || W.Shape[2] != cin || W.Shape[3] != cout)
            throw new ModelException($"{where}: weights[0] is {W.ShapeText}, expected [{kt}][{kf}][{cin}][{cout}]");
        float[]? bias = null;
        if (w.Count > 1)
        {
            if (w[1].Data.Length != cout) throw new ModelException($"{where}: weights[1] (bias) is {w[1].ShapeText}, expected [{cout}]");
            bias = w[1].Data;
        }
        int fout, padLeft;
        if (padding == "same")
        {
            fout = (fin + stride - 1) / stride;
            int total = Math.Max((fout - 1) * stride + kf - fin, 0);
            padLeft = total / 2;
        }
        else if (padding == "valid")
        {
            fout = (fin - kf) / stride + 1;
            padLeft = 0;
        }
        else throw new ModelException($"{where}: unknown padding '{padding}'");
        if (fout < 1) throw new ModelException($"{where}: kernel {kf} is wider than {fin} features");
        if (width > 0 && width != fout * cout)
            throw new ModelException($"{where}: 'shape' says width {width} but the layer gives {fout}×{cout} = {fout * cout}");
        b.Conv2D(W.Data, kt, kf, cin, cout, dil, stride, fin, fout, padLeft, padding == "same", bias);
    }
}
