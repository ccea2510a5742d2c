using System.Runtime.Intrinsics;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:WaveNetLayer</c>: one fused WaveNet (NAM) layer, time-major, streaming.
/// Inputs (fixed positions, "" = absent):
/// 0 r [T, C] residual in; 1 c [T, cond] condition; 2 h_in [T, H] head accumulator (absent = 0);
/// 3 conv W [Bg, C/groups_input, K]; 4 conv bias [Bg]; 5 mixin W [Bg, cond/groups_mixin, 1];
/// 6/7 layer1x1 W [C, B/g, 1] and bias; 8/9 head1x1 W [Ho, B/g, 1] and bias;
/// 10+2s/11+2s FiLM slot s (0..7: conv_pre, conv_post, input_mixin_pre, input_mixin_post,
/// activation_pre, activation_post, layer1x1_post, head1x1_post) W [(shift?2:1)·dim, cond/g, 1] and bias.
/// Attributes: kernel, dilation, bottleneck (B), gating ("none"|"gated"|"blended"), activation(+_params),
/// secondary_activation(+_params), groups_input, groups_mixin, films (ints[8]: 0 off, 1 scale, 2 scale+shift).
/// Outputs: 0 r_next [T, C] = r + layer1x1(a) (or r when layer1x1 is absent); 1 h_out [T, H] = h_in +
/// (head1x1 ? FiLM(head1x1(a)) : a). Semantics follow NAM core (peers/nam.md §1.3), including
/// layer1x1_post FiLM applied only in blended mode.
/// <para>Channel-major layout: a layer without FiLM whose activations act alike on every channel, in a graph
/// of at least <see cref="ChannelMajorMinFrames"/> frames per call, runs with the frames along the vector
/// lanes (history, conv, activations and 1x1s as [channel][frame] rows, as NAM core computes). Attribute
/// <c>chain</c> = [in, out] (0/1, set by the importer between such layers): then r and h_in (in) or r_next and
/// h_out (out) are passed channel-major as [C, Tp] / [H, Tp] with Tp = T rounded up to 16, so a chain of
/// layers transposes only at its ends. Each frame's result does not depend on the frames per call.</para></summary>
public sealed class WaveNetLayerOperator : IOperator
{
    public string OpType => "edge:WaveNetLayer";

    public static readonly string[] FilmSlots =
        ["conv_pre", "conv_post", "input_mixin_pre", "input_mixin_post", "activation_pre", "activation_post", "layer1x1_post", "head1x1_post"];

    internal enum Gating { None, Gated, Blended }

    internal sealed record Dims(int T, int C, int Cond, int B, int Bg, int H, int Ho, int K, int Dilation, Gating Gate,
        bool Layer1x1, bool Head1x1, int[] Films, int[] FilmDims, bool Cm, bool CmIn, bool CmOut, int Tp);

    /// <summary>Frames per call from which capable layers run channel-major.</summary>
    public const int ChannelMajorMinFrames = 8;

    /// <summary>Floats of slack after each scratch buffer (a whole AVX-512 vector); channel-major rows are
    /// T rounded up to a multiple of this.</summary>
    internal const int Pad = 16;

    /// <summary>True for layers that can run channel-major: activations that act alike on every channel (not a
    /// PReLU with a slope per channel).</summary>
    public static bool ChannelMajorCapable(string activation, int activationParams, string secondaryActivation, int secondaryParams)
        => !PerChannel(activation, activationParams) && !PerChannel(secondaryActivation, secondaryParams);

    private static bool PerChannel(string name, int parameters) => parameters > 1 && name.Equals("prelu", StringComparison.OrdinalIgnoreCase);

    internal static Dims Check(Node node, Graph graph)
    {
        string where = $"{graph.Source}: {node.Describe()}";
        if (node.Inputs.Count != 26) throw new ModelException($"{where}: expects 26 inputs (some may be empty), got {node.Inputs.Count}");
        if (node.Outputs.Count != 2) throw new ModelException($"{where}: expects 2 outputs (r_next, h_out)");
        var r = graph[node.Inputs[0]];
        var c = graph[node.Inputs[1]];
        var filmsAttr = node.GetInts("films") ?? new long[8];
        var chain = node.GetInts("chain") ?? [0, 0];
        if (chain.Length != 2) throw new ModelException($"{where}: 'chain' must be [in, out]");
        bool cm = ChannelMajorCapable(node.GetString("activation", ""), node.GetFloats("activation_params")?.Length ?? 0,
                node.GetString("secondary_activation", ""), node.GetFloats("secondary_activation_params")?.Length ?? 0)
            && graph.MaxFrames >= ChannelMajorMinFrames;
        bool cmIn = cm && chain[0] != 0, cmOut = cm && chain[1] != 0;
        if (c.Shape.Length != 2 || r.Shape.Length != 2)
            throw new ModelException($"{where}: r [{string.Join(",", r.Shape)}] and c [{string.Join(",", c.Shape)}] must be [T, C] and [T, cond]");
        int t = c.Shape[0], cond = c.Shape[1], tp = (t + Pad - 1) / Pad * Pad;
        if (cmIn ? r.Shape[1] != tp : r.Shape[0] != t)
            throw new ModelException(cmIn
                ? $"{where}: r '{r.Name}' must be channel-major [C, {tp}] (chained), got [{string.Join(",", r.Shape)}]"
                : $"{where}: r [{string.Join(",", r.Shape)}] and c [{string.Join(",", c.Shape)}] must be [T, C] and [T, cond]");
        int ch = cmIn ? r.Shape[0] : r.Shape[1];
        int b = checked((int)node.GetInt("bottleneck", ch));
        var gate = node.GetString("gating", "none") switch
        {
            "none" => Gating.None,
            "gated" => Gating.Gated,
            "blended" => Gating.Blended,
            var s => throw new ModelException($"{where}: unknown gating '{s}'"),
        };
        int bg = gate == Gating.None ? b : 2 * b;
        int k = checked((int)node.GetInt("kernel", 1)), dil = checked((int)node.GetInt("dilation", 1));
        if (k < 1 || dil < 1 || b < 1) throw new ModelException($"{where}: kernel, dilation and bottleneck must be ≥ 1");
        CheckW(graph, node, 3, bg, ch, (int)node.GetInt("groups_input", 1), k, where, required: true);
        CheckBias(graph, node, 4, bg, where, required: true);
        CheckW(graph, node, 5, bg, cond, (int)node.GetInt("groups_mixin", 1), 1, where, required: true);
        bool l1 = node.HasInput(6);
        if (l1) { CheckW(graph, node, 6, ch, b, -1, 1, where, true); CheckBias(graph, node, 7, ch, where, true); }
        else if (b != ch) throw new ModelException($"{where}: without layer1x1 the bottleneck ({b}) must equal channels ({ch})");
        bool h1 = node.HasInput(8);
        int ho = b;
        if (h1)
        {
            ho = graph[node.Inputs[8]].Shape[0];
            CheckW(graph, node, 8, ho, b, -1, 1, where, true);
            CheckBias(graph, node, 9, ho, where, true);
        }
        var films = filmsAttr.Select(v => (int)v).ToArray();
        if (films.Length != 8) throw new ModelException($"{where}: 'films' must have 8 entries");
        int[] dims = [ch, bg, cond, bg, bg, b, ch, ho];
        for (int s = 0; s < 8; s++)
        {
            bool present = node.HasInput(10 + 2 * s);
            if ((films[s] != 0) != present)
                throw new ModelException($"{where}: FiLM slot {FilmSlots[s]} flag {films[s]} does not match its weights");
            if (films[s] == 0) continue;
            if (s == 6 && !l1 || s == 7 && !h1) throw new ModelException($"{where}: FiLM {FilmSlots[s]} needs its 1x1 conv");
            CheckW(graph, node, 10 + 2 * s, (films[s] == 2 ? 2 : 1) * dims[s], cond, -1, 1, where, true);
            CheckBias(graph, node, 11 + 2 * s, (films[s] == 2 ? 2 : 1) * dims[s], where, true);
        }
        if (node.HasInput(2))
        {
            var h = graph[node.Inputs[2]];
            int[] want = cmIn ? [ho, tp] : [t, ho];
            if (h.Shape.Length != 2 || h.Shape[0] != want[0] || h.Shape[1] != want[1])
                throw new ModelException($"{where}: h_in '{h.Name}' must be [{want[0]}, {want[1]}]{(cmIn ? " (channel-major, chained)" : "")}, got [{string.Join(",", h.Shape)}]");
        }
        return new Dims(t, ch, cond, b, bg, ho, ho, k, dil, gate, l1, h1, films, dims, cm, cmIn, cmOut, tp);
    }

    private static void CheckW(Graph g, Node n, int i, int cout, int cin, int groups, int k, string where, bool required)
    {
        if (!n.HasInput(i)) { if (required) throw new ModelException($"{where}: input {i} (weights) is required"); return; }
        var w = g[n.Inputs[i]];
        if (!w.IsConstant || w.Type != DataType.Float32 || w.Shape.Length != 3)
            throw new ModelException($"{where}: weights '{w.Name}' must be a float32 constant [Cout, Cin/groups, K]");
        int gr = groups > 0 ? groups : cin / Math.Max(1, w.Shape[1]);
        if (w.Shape[0] != cout || w.Shape[2] != k || gr < 1 || w.Shape[1] * gr != cin || cout % gr != 0)
            throw new ModelException($"{where}: weights '{w.Name}' [{string.Join(",", w.Shape)}] do not fit {cin} → {cout}, K={k}");
    }

    private static void CheckBias(Graph g, Node n, int i, int count, string where, bool required)
    {
        if (!n.HasInput(i)) { if (required) throw new ModelException($"{where}: input {i} (bias) is required"); return; }
        var b = g[n.Inputs[i]];
        if (!b.IsConstant || b.Type != DataType.Float32 || b.ElementCount != count)
            throw new ModelException($"{where}: bias '{b.Name}' must be a float32 constant of {count} values");
    }

    public void InferShapes(Node node, Graph graph)
    {
        var d = Check(node, graph);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, d.CmOut ? [d.C, d.Tp] : [d.T, d.C]);
        ShapeInference.SetOutput(graph, node, 1, DataType.Float32, d.CmOut ? [d.H, d.Tp] : [d.T, d.H]);
    }

    internal static long ScratchFloats(Dims d)
    {
        if (d.Cm)   // rows of Tp: conv out, activation out, condition, an output staged for transposing, h_in transposed
        {           // (+ FiLM: its conv out, the FiLMed condition, the mixin out, r before FiLM, a FiLMed 1x1 out)
            long rows = d.Bg + d.B + d.Cond + Math.Max(d.C, d.H) + d.H;
            if (d.Films.Any(f => f != 0)) rows += 2L * d.FilmDims.Max() + d.Cond + d.Bg + d.C + Math.Max(d.C, d.H);
            return d.Tp * rows;
        }
        int maxDim = new[] { d.C, d.Bg, d.Cond, d.B, d.Ho }.Max();
        // each buffer padded by Pad floats: activations run over whole vectors past the last frame
        return (long)d.T * (2L * d.Bg + d.B + 2L * maxDim + d.Cond + Math.Max(d.C, d.Ho)) + 6L * Pad;
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var d = Check(node, graph);
        int hist = (d.K - 1) * d.Dilation;
        return new MemoryNeeds(ScratchFloats(d) * sizeof(float), d.Cm ? ChannelHistory.Bytes(d.C, hist, d.T) : ConvHistory.Bytes(d.C, hist, d.T));
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new WaveNetLayerKernel(node, ctx);
}

internal sealed unsafe class WaveNetLayerKernel : OpKernel
{
    private readonly WaveNetLayerOperator.Dims _d;
    private readonly TapConvOp _conv;      // dilated conv, with the mixin as its extra input unless a FiLM sits between
    private readonly TapConvOp? _mixin;    // separate mixin (conv_post or input_mixin_post FiLM present)
    private readonly TapConvOp? _l1, _h1;
    private readonly TapConvOp?[] _film = new TapConvOp?[8];
    private readonly bool[] _shift = new bool[8];
    private readonly ActivationFunction _act, _act2;
    private readonly bool _flatAct;      // the activation is the same on every channel: apply it to whole vectors
    private readonly float* _r, _c, _hIn, _rOut, _hOut;
    private readonly float* _z, _m, _a, _s, _cf, _o;
    private ConvHistory _hist;
    // channel-major layers: history rows per channel, blocks as [channel][Tp] rows
    private readonly bool _cm;
    private readonly float* _zc, _ac, _ec, _oc, _hc, _sc, _ecf, _mc, _rc, _fc;
    private ChannelHistory _chist;

    public WaveNetLayerKernel(Node node, KernelContext ctx)
    {
        var d = _d = WaveNetLayerOperator.Check(node, ctx.Graph);
        string where = $"{ctx.Graph.Source}: {node.Describe()}";
        TapConvOp Conv(int i, int cin)
        {
            var w = ctx.Input(i);
            return new TapConvOp(w.ConstantFloats, ctx.Input(i + 1).ConstantFloats, w.Shape[0], cin, 1, 1, cin / w.Shape[1]);
        }
        var cw = ctx.Input(3);
        int gi = d.C / cw.Shape[1], gm = d.Cond / ctx.Input(5).Shape[1];
        if (d.Films[1] == 0 && d.Films[3] == 0)
            _conv = new TapConvOp(cw.ConstantFloats, ctx.Input(4).ConstantFloats, d.Bg, d.C, d.K, d.Dilation, gi,
                ctx.Input(5).ConstantFloats, d.Cond, gm);
        else
        {
            _conv = new TapConvOp(cw.ConstantFloats, ctx.Input(4).ConstantFloats, d.Bg, d.C, d.K, d.Dilation, gi);
            _mixin = new TapConvOp(ctx.Input(5).ConstantFloats, default, d.Bg, d.Cond, 1, 1, gm);
        }
        if (d.Layer1x1) _l1 = Conv(6, d.B);
        if (d.Head1x1) _h1 = Conv(8, d.B);
        for (int s = 0; s < 8; s++)
            if (d.Films[s] != 0) { _film[s] = Conv(10 + 2 * s, d.Cond); _shift[s] = d.Films[s] == 2; }
        _act = ActivationFunction.Create(node.GetString("activation", ""), node.GetFloats("activation_params"), where);
        _act2 = ActivationFunction.Create(node.GetString("secondary_activation", ""), node.GetFloats("secondary_activation_params"), where);
        _act.CheckChannels(d.B, where);
        _act2.CheckChannels(d.B, where);
        _r = ctx.InF(0); _c = ctx.InF(1); _hIn = ctx.InF(2);
        _rOut = ctx.OutF(0); _hOut = ctx.OutF(1);
        _flatAct = _act.Kind != ActivationFunction.Kinds.PReLU;
        _cm = d.Cm;
        float* p = (float*)ctx.Scratch;
        int hist = (d.K - 1) * d.Dilation;
        if (_cm)
        {
            int tp = d.Tp;
            _zc = p; p += (long)tp * d.Bg;
            _ac = p; p += (long)tp * d.B;
            _ec = p; p += (long)tp * d.Cond;
            _oc = p; p += (long)tp * Math.Max(d.C, d.H);
            _hc = p; p += (long)tp * d.H;
            if (d.Films.Any(f => f != 0))
            {
                _sc = p; p += 2L * tp * d.FilmDims.Max();
                _ecf = p; p += (long)tp * d.Cond;
                _mc = p; p += (long)tp * d.Bg;
                _rc = p; p += (long)tp * d.C;
                _fc = p;
            }
            _chist = new ChannelHistory((float*)ctx.Persistent, d.C, hist, d.T);
            return;
        }
        int maxDim = new[] { d.C, d.Bg, d.Cond, d.B, d.Ho }.Max();
        const int pad = WaveNetLayerOperator.Pad;
        _z = p; p += (long)d.T * d.Bg + pad;
        _m = p; p += (long)d.T * d.Bg + pad;
        _a = p; p += (long)d.T * d.B + pad;
        _s = p; p += (long)d.T * 2 * maxDim + pad;
        _cf = p; p += (long)d.T * d.Cond + pad;
        _o = p;
        _hist = new ConvHistory((float*)ctx.Persistent, d.C, hist, d.T);
    }

    /// <summary>dst = x ⊙ s[:dim] (+ s[dim:2dim]) with s = FiLM conv(c); x, dst [frames, dim] contiguous.</summary>
    private void Film(int slot, int frames, float* x, float* dst, int dim)
    {
        var f = _film[slot]!;
        int sc = f.Cout;
        f.Run(frames, _c, _d.Cond, null, 0, null, 0, _s, sc);
        RowOpsF32.MulAdd(frames, dim, x, dim, _s, sc, _shift[slot] ? _s + dim : null, sc, dst, dim);
    }

    private static void Copy(float* src, float* dst, long floats)
    {
        if (src == dst) return;
        if (floats > 32) { Buffer.MemoryCopy(src, dst, floats * sizeof(float), floats * sizeof(float)); return; }
        // a frame or a few (block-size-1 streaming): inline vector moves instead of a memmove call
        long i = 0;
        for (; i <= floats - 4; i += 4) Vector128.Load(src + i).Store(dst + i);
        for (; i < floats; i++) dst[i] = src[i];
    }

    public override void Execute(int frames)
    {
        var d = _d;
        if (_cm)
        {
            ExecuteChannelMajor(frames);
            return;
        }
        // 1. z = F_conv_post(conv(F_conv_pre(r))); the conv keeps history of its (post-FiLM) input.
        int bg = d.Bg;
        float* cur = _hist.Begin(frames);
        if (_film[0] != null) Film(0, frames, _r, cur, d.C);
        else Copy(_r, cur, (long)frames * d.C);
        float* cin = _c;
        if (_film[2] != null) { Film(2, frames, _c, _cf, d.Cond); cin = _cf; }
        if (_mixin is null)
        {
            // conv and mixin in one pass: z = taps · W + c · Wmix + b
            _conv.Run(frames, cur, d.C, cin, d.Cond, null, 0, _z, bg);
            _hist.End(frames);
        }
        else
        {
            _conv.Run(frames, cur, d.C, null, 0, null, 0, _z, bg);
            _hist.End(frames);
            if (_film[1] != null) Film(1, frames, _z, _z, bg);
            // 2. z += F_mixin_post(mixin(F_mixin_pre(c)))
            if (_film[3] != null)
            {
                _mixin.Run(frames, cin, d.Cond, null, 0, null, 0, _m, bg);
                Film(3, frames, _m, _m, bg);
                RowOpsF32.Add((long)frames * bg, _z, _m, _z);
            }
            else _mixin.Run(frames, cin, d.Cond, null, 0, _z, bg, _z, bg);
        }
        Finish(frames);
    }

    /// <summary>Steps 3–8 on the time-major conv output z [frames, Bg].</summary>
    private void Finish(int frames)
    {
        var d = _d;
        int bg = d.Bg, b = d.B;
        // 3. activation pre-FiLM
        if (_film[4] != null) Film(4, frames, _z, _z, bg);
        // 4. activation (with gating)
        float* a;
        switch (d.Gate)
        {
            case WaveNetLayerOperator.Gating.None:
                if (_flatAct)
                {
                    // z is [frames, b] contiguous with Pad floats of slack: whole vectors, no scalar tail
                    int n = (frames * b + WaveNetLayerOperator.Pad - 1) & -WaveNetLayerOperator.Pad;
                    Activate(_act, _z, n);
                }
                else _act.Apply(_z, frames, bg, b);
                a = _z;
                break;
            case WaveNetLayerOperator.Gating.Gated:
                _act.Apply(_z, frames, bg, b);
                _act2.Apply(_z + b, frames, bg, b);
                RowOpsF32.MulAdd(frames, b, _z, bg, _z + b, bg, null, 0, _a, b);
                a = _a;
                break;
            default: // blended: a = α⊙act(z1) + (1−α)⊙z1 with α = act2(z2)
                for (int t = 0; t < frames; t++) Copy(_z + (long)t * bg, _a + (long)t * b, b);
                _act.Apply(_z, frames, bg, b);
                _act2.Apply(_z + b, frames, bg, b);
                RowOpsF32.Lerp(frames, b, _z + b, bg, _z, bg, _a, b, _a, b);
                a = _a;
                break;
        }
        // 5. activation post-FiLM (a is [frames, b] contiguous in every mode: in "none" bg == b)
        if (_film[5] != null) Film(5, frames, a, a, b);
        // 6./7. residual: r_next = r + layer1x1(a)
        if (_l1 is null) Copy(_r, _rOut, (long)frames * d.C);
        else if (d.Gate == WaveNetLayerOperator.Gating.Blended && _film[6] != null)
        {
            _l1.Run(frames, a, b, null, 0, null, 0, _o, d.C);
            Film(6, frames, _o, _o, d.C);
            RowOpsF32.Add((long)frames * d.C, _r, _o, _rOut);
        }
        else _l1.Run(frames, a, b, null, 0, _r, d.C, _rOut, d.C);
        // 8. head accumulator: h_out = h_in + F_head(head1x1(a)) (or h_in + a)
        long nh = (long)frames * d.H;
        if (_h1 is not null && _film[7] == null)
        {
            _h1.Run(frames, a, b, null, 0, _hIn, d.H, _hOut, d.H);
            return;
        }
        float* src = a;
        if (_h1 is not null)
        {
            _h1.Run(frames, a, b, null, 0, null, 0, _o, d.H);
            Film(7, frames, _o, _o, d.H);
            src = _o;
        }
        if (_hIn != null) RowOpsF32.Add(nh, _hIn, src, _hOut);
        else Copy(src, _hOut, nh);
    }

    /// <summary>A block with frames along the lanes: r appended to the channel rows, the conv (+ mixin) into
    /// z [Bg][Tp], activations over whole rows, the 1x1s (residual and head sums fused) into [·][Tp] rows —
    /// the outputs themselves when they are chained, else staged and transposed to time-major. FiLMs scale
    /// (and shift) whole rows by their 1x1 conv of the condition.</summary>
    private void ExecuteChannelMajor(int frames)
    {
        var d = _d;
        int tp = d.Tp, b = d.B, bg = d.Bg;
        ToRows(_c, d.Cond, frames, _ec, tp);           // the condition as rows (the FiLMs' input)
        // 1. the conv input (r, or F_conv_pre(r)) goes into the history; r itself stays for r_next
        float* rows, rIn;
        int ldh = _chist.RowStride, ldr;
        if (_film[0] is null)
        {
            rows = d.CmIn ? _chist.AppendRows(_r, tp, frames) : _chist.Append(_r, d.C, frames);
            rIn = rows; ldr = ldh;
        }
        else
        {
            if (d.CmIn) rIn = _r;
            else { ToRows(_r, d.C, frames, _rc, tp); rIn = _rc; }
            ldr = tp;
            rows = _chist.Begin(frames);
            FilmRows(0, frames, rIn, ldr, rows, ldh, d.C);
        }
        float* cin = _ec;
        if (_film[2] is not null) { FilmRows(2, frames, _ec, tp, _ecf, tp, d.Cond); cin = _ecf; }
        if (_mixin is null) _conv.RunChannelMajor(frames, rows, ldh, cin, tp, null, 0, _zc, tp);
        else
        {
            // 2. z = F_conv_post(conv) + F_mixin_post(mixin(c'))
            _conv.RunChannelMajor(frames, rows, ldh, null, 0, null, 0, _zc, tp);
            if (_film[1] is not null) FilmRows(1, frames, _zc, tp, _zc, tp, bg);
            if (_film[3] is not null)
            {
                _mixin.RunChannelMajor(frames, cin, tp, null, 0, null, 0, _mc, tp);
                FilmRows(3, frames, _mc, tp, _mc, tp, bg);
                RowOpsF32.Add((long)bg * tp, _zc, _mc, _zc);
            }
            else _mixin.RunChannelMajor(frames, cin, tp, null, 0, _zc, tp, _zc, tp);
        }
        _chist.End(frames);
        // 3.–5. activation (with gating) between its FiLMs
        if (_film[4] is not null) FilmRows(4, frames, _zc, tp, _zc, tp, bg);
        int n = b * tp;           // the first B rows (z1), whole vectors
        float* a = _zc;
        switch (d.Gate)
        {
            case WaveNetLayerOperator.Gating.None:
                Activate(_act, _zc, n);
                break;
            case WaveNetLayerOperator.Gating.Gated:
                Activate(_act, _zc, n);
                Activate(_act2, _zc + n, n);
                RowOpsF32.MulAdd(1, n, _zc, n, _zc + n, n, null, 0, _ac, n);
                a = _ac;
                break;
            default: // blended: a = z1 + α⊙(act(z1) − z1), α = act2(z2)
                Copy(_zc, _ac, n);
                Activate(_act, _zc, n);
                Activate(_act2, _zc + n, n);
                RowOpsF32.Lerp(1, n, _zc + n, n, _zc, n, _ac, n, _ac, n);
                a = _ac;
                break;
        }
        if (_film[5] is not null) FilmRows(5, frames, a, tp, a, tp, b);
        // 6./7. r_next = r + layer1x1(a) (its FiLM only when blended)
        float* rOut = d.CmOut ? _rOut : _oc;
        if (_l1 is null) for (int c = 0; c < d.C; c++) Copy(rIn + (long)c * ldr, rOut + (long)c * tp, frames);
        else if (d.Gate == WaveNetLayerOperator.Gating.Blended && _film[6] is not null)
        {
            _l1.RunChannelMajor(frames, a, tp, null, 0, null, 0, _fc, tp);
            FilmRows(6, frames, _fc, tp, _fc, tp, d.C);
            for (int c = 0; c < d.C; c++) RowOpsF32.Add(frames, rIn + (long)c * ldr, _fc + (long)c * tp, rOut + (long)c * tp);
        }
        else _l1.RunChannelMajor(frames, a, tp, null, 0, rIn, ldr, rOut, tp);
        if (!d.CmOut) FromRows(_oc, tp, d.C, frames, _rOut);
        // 8. h_out = h_in + F_head(head1x1(a)) (or h_in + a)
        float* hIn = _hIn;
        if (hIn != null && !d.CmIn) { ToRows(hIn, d.H, frames, _hc, tp); hIn = _hc; }
        float* hOut = d.CmOut ? _hOut : _oc;
        if (_h1 is not null && _film[7] is not null)
        {
            _h1.RunChannelMajor(frames, a, tp, null, 0, null, 0, _fc, tp);
            FilmRows(7, frames, _fc, tp, _fc, tp, d.H);
            if (hIn != null) RowOpsF32.Add((long)d.H * tp, hIn, _fc, hOut);
            else Copy(_fc, hOut, (long)d.H * tp);
        }
        else if (_h1 is not null) _h1.RunChannelMajor(frames, a, tp, null, 0, hIn, tp, hOut, tp);
        else if (hIn != null) RowOpsF32.Add((long)d.H * tp, hIn, a, hOut);
        else Copy(a, hOut, (long)d.H * tp);
        if (!d.CmOut) FromRows(_oc, tp, d.H, frames, _hOut);
    }

    /// <summary>dst rows = x rows ⊙ s[:dim] (+ s[dim:2dim]) with s = the slot's FiLM conv of the condition rows.</summary>
    private void FilmRows(int slot, int frames, float* x, int ldx, float* dst, int ldd, int dim)
    {
        int tp = _d.Tp;
        _film[slot]!.RunChannelMajor(frames, _ec, tp, null, 0, null, 0, _sc, tp);
        RowOpsF32.MulAdd(dim, frames, x, ldx, _sc, tp, _shift[slot] ? _sc + (long)dim * tp : null, tp, dst, ldd);
    }

    /// <summary>Time-major x [frames, channels] into channel rows (stride ld).</summary>
    private static void ToRows(float* x, int channels, int frames, float* rows, int ld)
    {
        if (channels == 1) { Copy(x, rows, frames); return; }
        for (int c = 0; c < channels; c++)
        {
            float* dst = rows + (long)c * ld, src = x + c;
            for (int t = 0; t < frames; t++) dst[t] = src[(long)t * channels];
        }
    }

    /// <summary>Channel rows (stride ld) into time-major y [frames, channels].</summary>
    private static void FromRows(float* rows, int ld, int channels, int frames, float* y)
    {
        if (channels == 1) { Copy(rows, y, frames); return; }
        for (int c = 0; c < channels; c++)
        {
            float* src = rows + (long)c * ld, dst = y + c;
            for (int t = 0; t < frames; t++) dst[(long)t * channels] = src[t];
        }
    }

    /// <summary>An activation over n contiguous floats (whole vectors): ReLU on the kernels family's vector
    /// path, the others through <see cref="ActivationFunction"/>.</summary>
    private static void Activate(ActivationFunction f, float* x, int n)
    {
        if (f.Kind == ActivationFunction.Kinds.ReLU) Activation.Run(ActivationKind.Relu, new ReadOnlySpan<float>(x, n), new Span<float>(x, n));
        else f.Apply(x, 1, n, n);
    }

    public override void Reset()
    {
        if (_cm) _chist.Reset();
        else _hist.Reset();
    }

    public override string KernelName => _cm ? "wavenet-layer.channel-major" : "wavenet-layer.tapconv";
}
