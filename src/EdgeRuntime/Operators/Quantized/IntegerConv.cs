using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>NCHW integer convolution geometry (1-D and 2-D, groups, dilations, strides, pads,
/// auto_pad) and the exact int32 accumulation shared by ConvInteger and QLinearConv: padded taps
/// contribute nothing (the zero-point-shifted input is zero-padded, as in the ONNX reference).</summary>
internal sealed class IntegerConv
{
    public int N, C, H, W, M, Group, KH, KW, SH, SW, DH, DW, PadT, PadL, OH, OW;
    public int[] OutShape = [];
    public int CPerGroup => C / Group;
    public int MPerGroup => M / Group;

    public static IntegerConv Of(Graph g, Node n, Tensor x, Tensor w)
    {
        int rank = x.Shape.Length;
        if (rank is not (3 or 4) || w.Shape.Length != rank)
            throw QuantElements.Error(g, n, $"only 1-D and 2-D convolutions are supported (input [{string.Join(",", x.Shape)}], weights [{string.Join(",", w.Shape)}])");
        bool oneD = rank == 3;
        var c = new IntegerConv
        {
            N = x.Shape[0], C = x.Shape[1], H = oneD ? 1 : x.Shape[2], W = x.Shape[^1],
            M = w.Shape[0], KH = oneD ? 1 : w.Shape[2], KW = w.Shape[^1],
            Group = (int)n.GetInt("group", 1),
        };
        if (c.Group < 1 || c.C % c.Group != 0 || c.M % c.Group != 0 || w.Shape[1] != c.C / c.Group)
            throw QuantElements.Error(g, n, $"weights [{string.Join(",", w.Shape)}] do not fit {c.C} input channels in {c.Group} group(s)");
        int sp = rank - 2;
        long[] Attr(string name, long dflt, int count)
        {
            var v = n.GetInts(name) ?? Enumerable.Repeat(dflt, count).ToArray();
            if (v.Length != count) throw QuantElements.Error(g, n, $"{name} has {v.Length} values, expected {count}");
            return v;
        }
        var ks = n.GetInts("kernel_shape");
        if (ks is not null && !ks.SequenceEqual(w.Shape[2..].Select(d => (long)d)))
            throw QuantElements.Error(g, n, $"kernel_shape [{string.Join(",", ks)}] differs from the weights [{string.Join(",", w.Shape)}]");
        var strides = Attr("strides", 1, sp);
        var dil = Attr("dilations", 1, sp);
        var pads = Attr("pads", 0, 2 * sp);
        if (strides.Any(s => s < 1) || dil.Any(d => d < 1) || pads.Any(p => p < 0))
            throw QuantElements.Error(g, n, "strides and dilations must be ≥ 1 and pads ≥ 0");
        c.SH = oneD ? 1 : (int)strides[0]; c.SW = (int)strides[^1];
        c.DH = oneD ? 1 : (int)dil[0]; c.DW = (int)dil[^1];
        string autoPad = n.GetString("auto_pad", "NOTSET");
        (int Out, int Begin) Axis(int input, int k, int s, int d, long pb, long pe)
        {
            int eff = (k - 1) * d + 1;
            switch (autoPad)
            {
                case "NOTSET":
                    return ((int)((input + pb + pe - eff) / s + 1), (int)pb);
                case "VALID":
                    return ((input - eff) / s + 1, 0);
                case "SAME_UPPER" or "SAME_LOWER":
                    int o = (input + s - 1) / s;
                    int total = Math.Max((o - 1) * s + eff - input, 0);
                    return (o, autoPad == "SAME_UPPER" ? total / 2 : total - total / 2);
                default:
                    throw QuantElements.Error(g, n, $"auto_pad {autoPad} is not supported");
            }
        }
        (c.OH, c.PadT) = oneD ? (1, 0) : Axis(c.H, c.KH, c.SH, c.DH, pads[0], pads[sp]);
        (c.OW, c.PadL) = Axis(c.W, c.KW, c.SW, c.DW, pads[sp - 1], pads[^1]);
        if (c.OH < 1 || c.OW < 1) throw QuantElements.Error(g, n, "the kernel does not fit the padded input");
        c.OutShape = oneD ? [c.N, c.M, c.OW] : [c.N, c.M, c.OH, c.OW];
        return c;
    }

    public unsafe int Acc(byte* x, DataType xt, byte* w, DataType wt, int b, int m, int oy, int ox, int xzp, int wzp)
    {
        int g = m / MPerGroup, cpg = CPerGroup;
        int acc = 0;
        for (int ci = 0; ci < cpg; ci++)
        {
            int c = g * cpg + ci;
            for (int ky = 0; ky < KH; ky++)
            {
                int iy = oy * SH - PadT + ky * DH;
                if ((uint)iy >= (uint)H) continue;
                for (int kx = 0; kx < KW; kx++)
                {
                    int ix = ox * SW - PadL + kx * DW;
                    if ((uint)ix >= (uint)W) continue;
                    int xv = QuantElements.Load(x, (((long)b * C + c) * H + iy) * W + ix, xt) - xzp;
                    int wv = QuantElements.Load(w, (((long)m * cpg + ci) * KH + ky) * KW + kx, wt) - wzp;
                    acc += xv * wv;
                }
            }
        }
        return acc;
    }
}
