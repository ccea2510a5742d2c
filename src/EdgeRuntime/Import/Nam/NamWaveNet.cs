using System.Text.Json;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Streaming;

namespace EdgeRuntime.Import.Nam;

/// <summary>WaveNet .nam import (peers/nam.md §1.3, §1.7): reads the config and weights into layer
/// arrays, optionally slims them, and emits edge:CausalConv1D (rechannel, head) and fused
/// edge:WaveNetLayer nodes, then the optional post-stack head.</summary>
internal static class NamWaveNet
{
    private sealed class Layer
    {
        public int K, Dilation;
        public string Gating = "none";
        public NamActivation Act = NamActivation.None, Act2 = NamActivation.None;
        public NamConv Conv = null!, Mixin = null!;
        public NamConv? L1, H1;
        public readonly NamConv?[] Films = new NamConv?[8];
    }

    private sealed class LayerArray
    {
        public int InSize, Cond, C, B, HeadOut, HeadK, HeadDilation, Gi = 1, Gm = 1, L1Groups = 1, H1Out, H1Groups = 1;
        public bool HeadBias, L1Active = true, H1Active;
        public readonly int[] FilmMode = new int[8];  // 0 off, 1 scale, 2 scale+shift
        public readonly int[] FilmGroups = new int[8];
        public int[]? Allowed;
        public NamConv Rechannel = null!, HeadRechannel = null!;
        public readonly List<Layer> Layers = new();
        public int H => H1Active ? H1Out : B;
        public int ReceptiveField => Layers.Sum(l => l.Dilation * (l.K - 1)) + HeadDilation * (HeadK - 1);
    }

    public static NamBuilt Build(NamGraphBuilder gb, JsonElement model, string input, int inChannels, string prefix, string where)
    {
        var cfg = NamJson.Req(model, "config", where);
        string cw = where + ".config";
        var weights = new NamWeights(NamJson.Floats(NamJson.Req(model, "weights", where), where + ".weights"), where);

        // Condition DSP (a nested, stateful model) feeds the layers' condition input.
        string cond = input;
        int condChannels = inChannels;
        int condPrewarm = 1;
        if (NamJson.Opt(cfg, "condition_dsp") is { } cdsp)
        {
            var inner = NamImporter.BuildModel(gb, cdsp, input, inChannels, prefix + "cond.", cw + ".condition_dsp");
            var outerRate = NamJson.Opt(model, "sample_rate");
            var innerRate = NamJson.Opt(cdsp, "sample_rate");
            if (outerRate is { } o && innerRate is { } i && NamJson.Num(o, where) != NamJson.Num(i, where))
                throw new ModelException($"{cw}.condition_dsp: sample_rate {NamJson.Show(i)} differs from the model's {NamJson.Show(o)}");
            cond = inner.Output;
            condChannels = inner.Channels;
            condPrewarm = inner.PrewarmSamples;
        }

        var layersJson = NamJson.Req(cfg, "layers", cw);
        if (layersJson.ValueKind != JsonValueKind.Array || layersJson.GetArrayLength() == 0)
            throw new ModelException($"{cw}.layers: expected a non-empty array of layer arrays");
        var arrays = new List<LayerArray>();
        int ai = 0;
        foreach (var aj in layersJson.EnumerateArray())
            arrays.Add(ReadArrayConfig(aj, $"{cw}.layers[{ai++}]"));

        // Weights, in file order.
        for (int a = 0; a < arrays.Count; a++)
            ReadArrayWeights(arrays[a], weights, $"{where}: layer array {a}");
        JsonElement? headJ = NamJson.Opt(cfg, "head");
        var post = new List<NamConv>();
        NamActivation postAct = NamActivation.None;
        if (headJ is { } hj)
        {
            string hw = cw + ".head";
            int ch = NamJson.Int(hj, "channels", hw), outCh = NamJson.Int(hj, "out_channels", hw);
            var ks = NamJson.Ints(NamJson.Req(hj, "kernel_sizes", hw), hw + ".kernel_sizes");
            if (ks.Length == 0) throw new ModelException($"{hw}.kernel_sizes: must not be empty");
            postAct = NamActivation.Parse(NamJson.Opt(hj, "activation"), hw + ".activation");
            int cin = arrays[^1].HeadOut;
            if (NamJson.Opt(hj, "in_channels") is { } ic && NamJson.Int(ic, hw + ".in_channels") != cin)
                throw new ModelException($"{hw}.in_channels: {NamJson.Show(ic)} must equal the last layer array's head size {cin}");
            for (int i = 0; i < ks.Length; i++)
            {
                int cout = i == ks.Length - 1 ? outCh : ch;
                post.Add(NamConv.Read(weights, cin, cout, ks[i], 1, true, 1, $"{where}: post-stack head conv {i}"));
                cin = cout;
            }
        }
        float headScale = weights.Take(1, "head_scale (the last weight)")[0];
        weights.EnsureDone();

        // Slimming (slimmable WaveNet).
        if (gb.Options.SlimmableSize is double v && arrays.Any(x => x.Allowed is not null))
            Slim(arrays, v, where);

        // Checks that tie the arrays together.
        for (int a = 0; a < arrays.Count; a++)
        {
            var la = arrays[a];
            if (la.Cond != condChannels)
                throw new ModelException($"{cw}.layers[{a}]: condition_size {la.Cond} but the condition has {condChannels} channels");
            int expectIn = a == 0 ? inChannels : arrays[a - 1].C;
            if (la.InSize != expectIn)
                throw new ModelException($"{cw}.layers[{a}]: input_size {la.InSize} but its input has {expectIn} channels");
            if (a > 0 && arrays[a - 1].HeadOut != la.H)
                throw new ModelException($"{cw}.layers[{a}]: the previous array's head output ({arrays[a - 1].HeadOut} channels) must match this array's head width {la.H}");
        }

        // Emit.
        arrays[^1].HeadRechannel = arrays[^1].HeadRechannel.Scaled(headScale);
        string r = input;
        string? head = null;
        for (int a = 0; a < arrays.Count; a++)
            (r, head) = EmitArray(gb, arrays[a], r, cond, head, $"{prefix}a{a}");
        string y = head!;
        int outChannels = arrays[^1].HeadOut;
        for (int i = 0; i < post.Count; i++)
        {
            y = gb.Activation($"{prefix}head{i}.act", y, postAct);
            y = gb.Conv($"{prefix}head{i}.conv", y, post[i]);
            outChannels = post[i].Cout;
        }
        int prewarm = condPrewarm + arrays.Sum(x => x.ReceptiveField) + post.Sum(c => c.K - 1);
        return new NamBuilt(y, outChannels, prewarm);
    }

    private static LayerArray ReadArrayConfig(JsonElement j, string w)
    {
        var la = new LayerArray
        {
            InSize = NamJson.Int(j, "input_size", w),
            Cond = NamJson.Int(j, "condition_size", w),
            C = NamJson.Int(j, "channels", w),
        };
        la.B = NamJson.Int(j, "bottleneck", w, la.C);
        var dil = NamJson.Ints(NamJson.Req(j, "dilations", w), w + ".dilations");
        int n = dil.Length;
        if (n == 0) throw new ModelException($"{w}.dilations: must not be empty");
        bool hasK = NamJson.Has(j, "kernel_size"), hasKs = NamJson.Has(j, "kernel_sizes");
        if (hasK == hasKs) throw new ModelException($"{w}: give exactly one of kernel_size and kernel_sizes");
        int[] ks = hasK ? Enumerable.Repeat(NamJson.Int(j, "kernel_size", w), n).ToArray() : NamJson.Ints(NamJson.Req(j, "kernel_sizes", w), w + ".kernel_sizes");
        if (ks.Length != n) throw new ModelException($"{w}.kernel_sizes: {ks.Length} entries for {n} dilations");

        string[] gating = new string[n];
        if (NamJson.Opt(j, "gating_mode") is { } gm)
        {
            if (gm.ValueKind == JsonValueKind.Array)
            {
                if (gm.GetArrayLength() != n) throw new ModelException($"{w}.gating_mode: {gm.GetArrayLength()} entries for {n} layers");
                int i = 0;
                foreach (var e in gm.EnumerateArray()) gating[i++] = GatingName(e, $"{w}.gating_mode[{i - 1}]");
            }
            else Array.Fill(gating, GatingName(gm, w + ".gating_mode"));
        }
        else Array.Fill(gating, NamJson.Bool(j, "gated", w, false) ? "gated" : "none");

        var act = NamActivation.PerLayer(NamJson.Opt(j, "activation"), n, w + ".activation");
        if (act.Any(x => x.Name.Length == 0)) throw new ModelException($"{w}.activation: required");
        var act2 = NamActivation.PerLayer(NamJson.Opt(j, "secondary_activation"), n, w + ".secondary_activation");
        for (int l = 0; l < n; l++)
        {
            var layer = new Layer { K = ks[l], Dilation = dil[l], Gating = gating[l], Act = act[l], Act2 = act2[l] };
            if (layer.K < 1 || layer.Dilation < 1) throw new ModelException($"{w}: layer {l} has kernel {layer.K}, dilation {layer.Dilation}");
            if (layer.Gating != "none" && layer.Act2.Name.Length == 0) layer.Act2 = new NamActivation("Sigmoid", []);
            la.Layers.Add(layer);
        }

        if (NamJson.Opt(j, "head") is { } h)
        {
            string hw = w + ".head";
            la.HeadOut = NamJson.Int(h, "out_channels", hw);
            la.HeadK = NamJson.Int(h, "kernel_size", hw);
            la.HeadBias = NamJson.Bool(h, "bias", hw, false);
            if (!NamJson.Has(h, "bias")) NamJson.Req(h, "bias", hw);
            la.HeadDilation = NamJson.Int(h, "head_dilation", hw, 1);
        }
        else
        {
            la.HeadOut = NamJson.Int(j, "head_size", w);
            la.HeadK = 1;
            la.HeadDilation = 1;
            la.HeadBias = NamJson.Bool(j, "head_bias", w, false);
            if (!NamJson.Has(j, "head_bias")) NamJson.Req(j, "head_bias", w);
        }
        la.Gi = NamJson.Int(j, "groups_input", w, 1);
        la.Gm = NamJson.Int(j, "groups_input_mixin", w, 1);
        if (NamJson.Opt(j, "layer1x1") is { } l1)
        {
            la.L1Active = NamJson.Bool(l1, "active", w + ".layer1x1", true);
            if (!NamJson.Has(l1, "active")) NamJson.Req(l1, "active", w + ".layer1x1");
            la.L1Groups = NamJson.Int(l1, "groups", w + ".layer1x1");
        }
        if (!la.L1Active && la.B != la.C) throw new ModelException($"{w}.layer1x1: inactive layer1x1 needs bottleneck == channels ({la.B} != {la.C})");
        if (NamJson.Opt(j, "head1x1") is { } h1)
        {
            la.H1Active = NamJson.Bool(h1, "active", w + ".head1x1", false);
            if (!NamJson.Has(h1, "active")) NamJson.Req(h1, "active", w + ".head1x1");
            la.H1Out = NamJson.Int(h1, "out_channels", w + ".head1x1");
            la.H1Groups = NamJson.Int(h1, "groups", w + ".head1x1");
        }
        for (int s = 0; s < 8; s++)
        {
            string key = WaveNetLayerOperator.FilmSlots[s] + "_film";
            if (NamJson.Opt(j, key) is not { } f || f.ValueKind == JsonValueKind.False) continue;
            if (f.ValueKind == JsonValueKind.True) { la.FilmMode[s] = 2; la.FilmGroups[s] = 1; continue; }
            if (f.ValueKind != JsonValueKind.Object) throw new ModelException($"{w}.{key}: expected false or an object");
            if (!NamJson.Bool(f, "active", w + "." + key, true)) continue;
            la.FilmMode[s] = NamJson.Bool(f, "shift", w + "." + key, true) ? 2 : 1;
            la.FilmGroups[s] = NamJson.Int(f, "groups", w + "." + key, 1);
        }
        if (NamJson.Opt(j, "slimmable") is { } sl)
        {
            string sw = w + ".slimmable";
            string method = NamJson.Str(sl, "method", sw);
            if (method != "slice_channels_uniform") throw new ModelException($"{sw}.method: unsupported '{method}'");
            var allowed = NamJson.Ints(NamJson.Req(NamJson.Req(sl, "kwargs", sw), "allowed_channels", sw + ".kwargs"), sw + ".kwargs.allowed_channels");
            if (allowed.Length == 0 || allowed[^1] != la.C || allowed.Zip(allowed.Skip(1)).Any(p => p.First >= p.Second) || allowed[0] < 1)
                throw new ModelException($"{sw}.kwargs.allowed_channels: must be ascending, positive and end at channels ({la.C})");
            la.Allowed = allowed;
        }
        return la;
    }

    private static string GatingName(JsonElement e, string w)
    {
        string? s = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return s is "none" or "gated" or "blended" ? s : throw new ModelException($"{w}: gating must be \"none\", \"gated\" or \"blended\", got {NamJson.Show(e)}");
    }

    private static void ReadArrayWeights(LayerArray la, NamWeights w, string where)
    {
        la.Rechannel = NamConv.Read(w, la.InSize, la.C, 1, 1, false, 1, where + " rechannel");
        for (int l = 0; l < la.Layers.Count; l++)
        {
            var layer = la.Layers[l];
            string lw = $"{where} layer {l}";
            int bg = layer.Gating == "none" ? la.B : 2 * la.B;
            layer.Conv = NamConv.Read(w, la.C, bg, layer.K, layer.Dilation, true, la.Gi, lw + " conv");
            layer.Mixin = NamConv.Read(w, la.Cond, bg, 1, 1, false, la.Gm, lw + " input_mixin");
            if (la.L1Active) layer.L1 = NamConv.Read(w, la.B, la.C, 1, 1, true, la.L1Groups, lw + " layer1x1");
            if (la.H1Active) layer.H1 = NamConv.Read(w, la.B, la.H1Out, 1, 1, true, la.H1Groups, lw + " head1x1");
            int[] dims = [la.C, bg, la.Cond, bg, bg, la.B, la.C, la.H1Out];
            for (int s = 0; s < 8; s++)
            {
                if (la.FilmMode[s] == 0 || s == 6 && !la.L1Active || s == 7 && !la.H1Active) continue;
                layer.Films[s] = NamConv.Read(w, la.Cond, (la.FilmMode[s] == 2 ? 2 : 1) * dims[s], 1, 1, true, la.FilmGroups[s],
                    $"{lw} {WaveNetLayerOperator.FilmSlots[s]}_film");
            }
        }
        la.HeadRechannel = NamConv.Read(w, la.H, la.HeadOut, la.HeadK, la.HeadDilation, la.HeadBias, 1, where + " head_rechannel");
    }

    /// <summary>NAM's slice_channels_uniform (peers/nam.md §1.7).</summary>
    private static void Slim(List<LayerArray> arrays, double v, string where)
    {
        var cNew = arrays.Select(la =>
        {
            if (la.Allowed is null) return la.C;
            int n = la.Allowed.Length;
            return la.Allowed[Math.Clamp((int)Math.Floor(v * n), 0, n - 1)];
        }).ToArray();
        for (int a = 0; a < arrays.Count; a++)
        {
            var la = arrays[a];
            int c = cNew[a];
            int inSize = a == 0 ? la.InSize : cNew[a - 1];
            int b = la.L1Active ? Math.Max(1, la.B * c / la.C) : c;
            string w = $"{where}: slimming layer array {a}";
            la.Rechannel = la.Rechannel.Slice(c, inSize, w + " rechannel");
            foreach (var layer in la.Layers)
            {
                int bg = layer.Gating == "none" ? b : 2 * b;
                layer.Conv = layer.Conv.Slice(bg, c, w + " conv");
                layer.Mixin = layer.Mixin.Slice(bg, la.Cond, w + " input_mixin");
                layer.L1 = layer.L1?.Slice(c, b, w + " layer1x1");
                layer.H1 = layer.H1?.Slice(la.H1Out, b, w + " head1x1");
                int[] dims = [c, bg, la.Cond, bg, bg, b, c, la.H1Out];
                for (int s = 0; s < 8; s++)
                    if (layer.Films[s] is { } f) layer.Films[s] = f.Slice((la.FilmMode[s] == 2 ? 2 : 1) * dims[s], la.Cond, w + " film");
            }
            int h = la.H1Active ? la.H1Out : b;
            int headOut = a < arrays.Count - 1 ? cNew[a + 1] : la.HeadOut;
            if (la.HeadRechannel.K != 1 && la.Allowed is not null) throw new ModelException($"{w}: slimming supports head kernel 1 only");
            la.HeadRechannel = la.HeadRechannel.Slice(headOut, h, w + " head_rechannel");
            la.InSize = inSize; la.C = c; la.B = b; la.HeadOut = headOut;
        }
    }

    private static (string R, string Head) EmitArray(NamGraphBuilder gb, LayerArray la, string input, string cond, string? head, string p)
    {
        string r = gb.Conv(p + ".rechannel", input, la.Rechannel);
        // neighbouring layers that can both run channel-major pass r and h to each other channel-major
        var capable = la.Layers.Select(layer => WaveNetLayerOperator.ChannelMajorCapable(
            layer.Act.Name, layer.Act.Params.Length, layer.Act2.Name, layer.Act2.Params.Length)).ToArray();
        for (int l = 0; l < la.Layers.Count; l++)
        {
            var layer = la.Layers[l];
            string lp = $"{p}.l{l}";
            var ins = new string[26];
            Array.Fill(ins, "");
            ins[0] = r; ins[1] = cond; ins[2] = head ?? "";
            ins[3] = gb.Const(lp + ".conv.w", layer.Conv.Shape, layer.Conv.W);
            ins[4] = gb.Const(lp + ".conv.b", [layer.Conv.Cout], layer.Conv.B!);
            ins[5] = gb.Const(lp + ".mixin.w", layer.Mixin.Shape, layer.Mixin.W);
            if (layer.L1 is { } l1) { ins[6] = gb.Const(lp + ".layer1x1.w", l1.Shape, l1.W); ins[7] = gb.Const(lp + ".layer1x1.b", [l1.Cout], l1.B!); }
            if (layer.H1 is { } h1) { ins[8] = gb.Const(lp + ".head1x1.w", h1.Shape, h1.W); ins[9] = gb.Const(lp + ".head1x1.b", [h1.Cout], h1.B!); }
            var films = new long[8];
            for (int s = 0; s < 8; s++)
            {
                if (layer.Films[s] is not { } f) continue;
                films[s] = la.FilmMode[s];
                ins[10 + 2 * s] = gb.Const($"{lp}.{WaveNetLayerOperator.FilmSlots[s]}_film.w", f.Shape, f.W);
                ins[11 + 2 * s] = gb.Const($"{lp}.{WaveNetLayerOperator.FilmSlots[s]}_film.b", [f.Cout], f.B!);
            }
            string rNext = gb.NewName(lp + ".r"), hOut = gb.NewName(lp + ".h");
            var node = new Node("WaveNetLayer", lp, ins, [rNext, hOut], "edge");
            node.Set("kernel", Ir.Attribute.Of((long)layer.K)).Set("dilation", Ir.Attribute.Of((long)layer.Dilation))
                .Set("bottleneck", Ir.Attribute.Of((long)la.B)).Set("gating", Ir.Attribute.Of(layer.Gating))
                .Set("activation", Ir.Attribute.Of(layer.Act.Name)).Set("activation_params", Ir.Attribute.Of(layer.Act.Params))
                .Set("secondary_activation", Ir.Attribute.Of(layer.Act2.Name)).Set("secondary_activation_params", Ir.Attribute.Of(layer.Act2.Params))
                .Set("groups_input", Ir.Attribute.Of((long)layer.Conv.Groups)).Set("groups_mixin", Ir.Attribute.Of((long)layer.Mixin.Groups))
                .Set("films", Ir.Attribute.Of(films))
                .Set("chain", Ir.Attribute.Of(new long[] { l > 0 && capable[l - 1] && capable[l] ? 1 : 0, l + 1 < capable.Length && capable[l] && capable[l + 1] ? 1 : 0 }));
            gb.Add(node);
            r = rNext;
            head = hOut;
        }
        string y = gb.Conv(p + ".head_rechannel", head!, la.HeadRechannel);
        return (r, y);
    }
}
