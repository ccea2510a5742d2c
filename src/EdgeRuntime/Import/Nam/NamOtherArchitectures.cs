using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Nam;

/// <summary>LSTM (§1.4), ConvNet (§1.5) and Linear (§1.6) .nam architectures.</summary>
internal static class NamOtherArchitectures
{
    public static NamBuilt Lstm(NamGraphBuilder gb, JsonElement model, string input, int inChannels, string prefix, string where)
    {
        string cw = where + ".config";
        var cfg = NamJson.Req(model, "config", where);
        var w = new NamWeights(NamJson.Floats(NamJson.Req(model, "weights", where), where + ".weights"), where);
        int layers = NamJson.Int(cfg, "num_layers", cw), inSize = NamJson.Int(cfg, "input_size", cw), h = NamJson.Int(cfg, "hidden_size", cw);
        int outCh = NamJson.Int(cfg, "out_channels", cw, 1);
        if (layers < 1 || inSize < 1 || h < 1 || outCh < 1) throw new ModelException($"{cw}: num_layers, input_size, hidden_size and out_channels must be ≥ 1");
        if (inSize != inChannels) throw new ModelException($"{cw}.input_size: {inSize} but the input has {inChannels} channels");
        string x = input;
        for (int l = 0; l < layers; l++)
        {
            int i = l == 0 ? inSize : h;
            string lw = $"{where}: LSTM layer {l}";
            string p = $"{prefix}lstm{l}";
            var wt = w.Take(4 * h * (i + h), lw + " W");
            var b = w.Take(4 * h, lw + " bias");
            var h0 = w.Take(h, lw + " h0");
            var c0 = w.Take(h, lw + " c0");
            string y = gb.NewName(p + ".y");
            gb.Add(new Node("NamLstm", p,
                [x, gb.Const(p + ".w", [4 * h, i + h], wt), gb.Const(p + ".b", [4 * h], b), gb.Const(p + ".h0", [h], h0), gb.Const(p + ".c0", [h], c0)],
                [y], "edge"));
            x = y;
        }
        var head = NamConv.Read(w, h, outCh, 1, 1, true, 1, where + ": LSTM head");
        w.EnsureDone();
        string outp = gb.Conv(prefix + "head", x, head);
        int prewarm = NamJson.Opt(model, "sample_rate") is { } sr ? (int)Math.Floor(0.5 * NamJson.Num(sr, where + ".sample_rate")) : 1;
        if (prewarm < 1) prewarm = 1;
        return new NamBuilt(outp, outCh, prewarm);
    }

    public static NamBuilt ConvNet(NamGraphBuilder gb, JsonElement model, string input, int inChannels, string prefix, string where)
    {
        string cw = where + ".config";
        var cfg = NamJson.Req(model, "config", where);
        var w = new NamWeights(NamJson.Floats(NamJson.Req(model, "weights", where), where + ".weights"), where);
        int c = NamJson.Int(cfg, "channels", cw);
        var dil = NamJson.Ints(NamJson.Req(cfg, "dilations", cw), cw + ".dilations");
        bool bn = NamJson.Bool(cfg, "batchnorm", cw, false);
        var act = NamActivation.Parse(NamJson.Req(cfg, "activation", cw), cw + ".activation");
        int groups = NamJson.Int(cfg, "groups", cw, 1);
        int outCh = NamJson.Int(cfg, "out_channels", cw, 1);
        int inCh = NamJson.Int(cfg, "in_channels", cw, 1);
        if (inCh != inChannels) throw new ModelException($"{cw}.in_channels: {inCh} but the input has {inChannels} channels");
        if (dil.Length == 0) throw new ModelException($"{cw}.dilations: must not be empty");
        string x = input;
        int cin = inCh;
        for (int i = 0; i < dil.Length; i++)
        {
            string bw = $"{where}: ConvNet block {i}";
            var conv = NamConv.Read(w, cin, c, 2, dil[i], !bn, groups, bw + " conv");
            if (bn)
            {
                var mean = w.Take(c, bw + " batchnorm running_mean");
                var variance = w.Take(c, bw + " batchnorm running_var");
                var gamma = w.Take(c, bw + " batchnorm weight");
                var beta = w.Take(c, bw + " batchnorm bias");
                float eps = w.Take(1, bw + " batchnorm eps")[0];
                var wf = (float[])conv.W.Clone();
                var bf = new float[c];
                int per = conv.W.Length / c;
                for (int o = 0; o < c; o++)
                {
                    float scale = gamma[o] / MathF.Sqrt(eps + variance[o]);
                    bf[o] = beta[o] - scale * mean[o];
                    for (int k = 0; k < per; k++) wf[o * per + k] *= scale;
                }
                conv = new NamConv { Cout = c, Cin = cin, K = 2, Dilation = dil[i], Groups = groups, W = wf, B = bf };
            }
            x = gb.Conv($"{prefix}block{i}.conv", x, conv);
            x = gb.Activation($"{prefix}block{i}.act", x, act);
            cin = c;
        }
        var head = NamConv.Read(w, c, outCh, 1, 1, true, 1, where + ": ConvNet head");
        w.EnsureDone();
        return new NamBuilt(gb.Conv(prefix + "head", x, head), outCh, 1 + dil.Sum());
    }

    public static NamBuilt Linear(NamGraphBuilder gb, JsonElement model, string input, int inChannels, string prefix, string where)
    {
        string cw = where + ".config";
        var cfg = NamJson.Req(model, "config", where);
        var w = new NamWeights(NamJson.Floats(NamJson.Req(model, "weights", where), where + ".weights"), where);
        int rf = NamJson.Int(cfg, "receptive_field", cw);
        bool bias = NamJson.Bool(cfg, "bias", cw, false);
        int inCh = NamJson.Int(cfg, "in_channels", cw, 1), outCh = NamJson.Int(cfg, "out_channels", cw, 1);
        if (rf < 1) throw new ModelException($"{cw}.receptive_field: must be ≥ 1");
        if (inCh != 1 || outCh != 1 || inChannels != 1) throw new ModelException($"{cw}: Linear supports in_channels = out_channels = 1 only");
        var taps = w.Take(rf, where + ": Linear impulse response");
        var b = bias ? w.Take(1, where + ": Linear bias") : null;
        w.EnsureDone();
        // NAM: w[0] multiplies the current sample; in the conv, tap K−1 does.
        var rev = new float[rf];
        for (int k = 0; k < rf; k++) rev[k] = taps[rf - 1 - k];
        var conv = new NamConv { Cout = 1, Cin = 1, K = rf, W = rev, B = b };
        return new NamBuilt(gb.Conv(prefix + "ir", input, conv), 1, 0);
    }
}
