using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>Runs GRU/LSTM/RNN in general (directions, batch, layouts, sequence lengths, activations, clip, peepholes,
/// runtime weights); the common case runs on <see cref="RecurrentCellKernel"/> instead (see
/// <see cref="RecurrentCellKernel.Applies"/>). Per direction the inputs of every timestep are projected
/// (X·Wᵀ + Wb), then per step Rᵀ·h + Rb on packed Rᵀ and the gate math over the hidden vector. Constant weights are
/// transposed once here; runtime weights are transposed into scratch on every call.</summary>
internal sealed unsafe class RecurrentKernel : OpKernel
{
    private readonly RecurrentSpec _s;
    private readonly int _h, _gh, _in, _batch, _dirs;
    private readonly float* _x, _w, _r, _b, _p, _initH, _initC;
    private readonly long* _seqLens64;
    private readonly int* _seqLens32;
    private readonly float* _y, _yh, _yc;
    private readonly bool _packedW, _packedR;
    private readonly float[]? _wtArr, _rtArr;
    private readonly float* _wt, _rt;          // packed [dirs][I][GH] and [dirs][H][GH]
    private readonly float* _xp, _rp, _g, _tmp; // scratch
    private readonly float* _hState, _cState;  // [dirs][B][H]
    private readonly bool _fast;

    public RecurrentKernel(RecurrentSpec s, KernelContext ctx)
    {
        _s = s;
        _h = s.Hidden; _gh = s.Gates * s.Hidden; _in = s.InputSize; _batch = s.Batch; _dirs = s.Directions;
        var node = ctx.Node;
        _x = ctx.InF(0); _w = ctx.InF(1); _r = ctx.InF(2);
        _b = node.HasInput(3) ? ctx.InF(3) : null;
        if (node.HasInput(4))
        {
            var t = ctx.Input(4);
            if (t.Type == DataType.Int64) _seqLens64 = (long*)ctx.InputPtr(4);
            else if (t.Type == DataType.Int32) _seqLens32 = (int*)ctx.InputPtr(4);
            else throw new ModelException($"{ctx.Graph.Source}: {node.Describe()}: sequence_lens must be int32 or int64, got {t.Type}");
        }
        _initH = node.HasInput(5) ? ctx.InF(5) : null;
        if (s.Cell == RecurrentCell.Lstm)
        {
            _initC = node.HasInput(6) ? ctx.InF(6) : null;
            _p = node.HasInput(7) ? ctx.InF(7) : null;
        }
        _y = node.Outputs.Count > 0 && node.Outputs[0].Length > 0 ? ctx.OutF(0) : null;
        _yh = node.Outputs.Count > 1 && node.Outputs[1].Length > 0 ? ctx.OutF(1) : null;
        _yc = node.Outputs.Count > 2 && node.Outputs[2].Length > 0 ? ctx.OutF(2) : null;

        float* scratch = (float*)ctx.Scratch;
        _xp = scratch; scratch += (long)s.Seq * _batch * _gh;
        _rp = scratch; scratch += (long)_batch * _gh;
        _g = scratch; scratch += _gh;
        _tmp = scratch; scratch += _h;
        if (s.Streaming)
        {
            _hState = (float*)ctx.Persistent;
            _cState = _hState + (long)_dirs * _batch * _h;
        }
        else
        {
            _hState = scratch; scratch += (long)_dirs * _batch * _h;
            _cState = scratch; scratch += (long)_dirs * _batch * _h;
        }
        _packedW = ctx.Input(1).IsConstant;
        _packedR = ctx.Input(2).IsConstant;
        if (_packedW)
        {
            _wtArr = GC.AllocateArray<float>(_dirs * _in * _gh, pinned: true);
            _wt = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_wtArr));
            for (int d = 0; d < _dirs; d++) Transpose(_w + (long)d * _gh * _in, _gh, _in, _wt + (long)d * _in * _gh);
        }
        else { _wt = scratch; scratch += (long)_dirs * _in * _gh; }
        if (_packedR)
        {
            _rtArr = GC.AllocateArray<float>(_dirs * _h * _gh, pinned: true);
            _rt = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_rtArr));
            for (int d = 0; d < _dirs; d++) Transpose(_r + (long)d * _gh * _h, _gh, _h, _rt + (long)d * _h * _gh);
        }
        else { _rt = scratch; }

        bool defaultActs = s.Cell switch
        {
            RecurrentCell.Gru => s.Activations.All(a => a[0].Kind == RecurrentActivationKind.Sigmoid && a[1].Kind == RecurrentActivationKind.Tanh),
            RecurrentCell.Lstm => s.Activations.All(a => a[0].Kind == RecurrentActivationKind.Sigmoid && a[1].Kind == RecurrentActivationKind.Tanh && a[2].Kind == RecurrentActivationKind.Tanh),
            _ => false,
        };
        _fast = defaultActs && s.Clip == 0 && _p == null && !s.InputForget && (s.Cell != RecurrentCell.Gru || s.LinearBeforeReset);
    }

    public override string KernelName => $"{_s.Cell.ToString().ToLowerInvariant()}.{(_fast ? "fused" : "generic")}";

    public static long ScratchFloats(RecurrentSpec s, Node node, Graph graph)
    {
        long gh = s.Gates * s.Hidden;
        long n = s.Seq * s.Batch * gh + s.Batch * gh + gh + s.Hidden;
        if (!s.Streaming) n += 2L * s.Directions * s.Batch * s.Hidden;
        if (!graph[node.Inputs[1]].IsConstant) n += s.Directions * s.InputSize * gh;
        if (!graph[node.Inputs[2]].IsConstant) n += s.Directions * s.Hidden * gh;
        return n;
    }

    public static long PersistentFloats(RecurrentSpec s) =>
        s.Streaming ? 2L * s.Directions * s.Batch * s.Hidden : 0;

    private static void Transpose(float* src, int rows, int cols, float* dst)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[(long)j * rows + i] = src[(long)i * cols + j];
    }

    public override void Reset()
    {
        if (_s.Streaming) LoadInitialState();
    }

    /// <summary>h, c ← initial_h, initial_c (or zeros), reordered from the state layout to [dir][batch][H].</summary>
    private void LoadInitialState()
    {
        long n = (long)_dirs * _batch * _h;
        for (int d = 0; d < _dirs; d++)
            for (int b = 0; b < _batch; b++)
            {
                long src = StateIndex(d, b);
                long dst = ((long)d * _batch + b) * _h;
                for (int i = 0; i < _h; i++)
                {
                    _hState[dst + i] = _initH != null ? _initH[src + i] : 0f;
                    _cState[dst + i] = _initC != null ? _initC[src + i] : 0f;
                }
            }
        _ = n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long StateIndex(int d, int b) => _s.Layout == 0 ? ((long)d * _batch + b) * _h : ((long)b * _dirs + d) * _h;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long XRow(int t, int b, int seq) => _s.Layout == 0 ? (long)t * _batch + b : (long)b * seq + t;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long YIndex(int t, int d, int b, int seq) => _s.Flat ? (long)t * _h
        : _s.Layout == 0 ? (((long)t * _dirs + d) * _batch + b) * _h : (((long)b * seq + t) * _dirs + d) * _h;

    private int SeqLen(int b, int seq)
    {
        long v = _seqLens64 != null ? _seqLens64[b] : _seqLens32 != null ? _seqLens32[b] : seq;
        return (int)Math.Clamp(v, 0, seq);
    }

    public override void Execute(int frames)
    {
        int seq = _s.Streaming ? frames : _s.Seq;
        if (!_s.Streaming) LoadInitialState();
        bool ragged = _seqLens64 != null || _seqLens32 != null;
        if (ragged && _y != null)
        {
            long yn = (long)seq * _dirs * _batch * _h;
            new Span<float>(_y, (int)yn).Clear();
        }
        for (int d = 0; d < _dirs; d++)
        {
            float* wt = _wt + (long)d * _in * _gh;
            float* rt = _rt + (long)d * _h * _gh;
            if (!_packedW) Transpose(_w + (long)d * _gh * _in, _gh, _in, wt);
            if (!_packedR) Transpose(_r + (long)d * _gh * _h, _gh, _h, rt);
            float* wb = _b != null ? _b + (long)d * 2 * _gh : null;
            float* rb = _b != null ? wb + _gh : null;
            float* h = _hState + (long)d * _batch * _h;
            float* c = _cState + (long)d * _batch * _h;
            bool reverse = _s.Reverse || d == 1;

            // Input projection of every timestep (rows in X's memory order), one row at a time so a
            // frame's result never depends on how many frames the call carries.
            int rowsX = seq * _batch;
            if (_in == 1)
                for (int row = 0; row < rowsX; row++) Axpb(_x[row], wt, wb, _xp + (long)row * _gh, _gh);
            else
                for (int row = 0; row < rowsX; row++) VecMat.Run(_in, _gh, _x + (long)row * _in, wt, _gh, wb, _xp + (long)row * _gh);

            for (int step = 0; step < seq; step++)
            {
                bool lbr0 = _s.Cell == RecurrentCell.Gru && !_s.LinearBeforeReset;
                for (int b = 0; b < _batch; b++)
                    VecMat.Run(_h, lbr0 ? 2 * _h : _gh, h + (long)b * _h, rt, _gh, rb, _rp + (long)b * _gh);
                for (int b = 0; b < _batch; b++)
                {
                    int len = ragged ? SeqLen(b, seq) : seq;
                    if (step >= len) continue;
                    int t = reverse ? len - 1 - step : step;
                    float* xr = _xp + XRow(t, b, seq) * _gh;
                    float* rr = _rp + (long)b * _gh;
                    float* hb = h + (long)b * _h;
                    float* cb = c + (long)b * _h;
                    switch (_s.Cell)
                    {
                        case RecurrentCell.Gru:
                            if (_fast) GruFast(xr, rr, hb, _h);
                            else GruGeneric(d, xr, rr, hb, rt, rb);
                            break;
                        case RecurrentCell.Lstm:
                            if (_fast) LstmFast(xr, rr, hb, cb, _h);
                            else LstmGeneric(d, xr, rr, hb, cb);
                            break;
                        default:
                            RnnStep(d, xr, rr, hb);
                            break;
                    }
                    if (_y != null) Buffer.MemoryCopy(hb, _y + YIndex(t, d, b, seq), _h * 4L, _h * 4L);
                }
            }
            for (int b = 0; b < _batch; b++)
            {
                long si = StateIndex(d, b);
                if (_yh != null) Buffer.MemoryCopy(h + (long)b * _h, _yh + si, _h * 4L, _h * 4L);
                if (_yc != null) Buffer.MemoryCopy(c + (long)b * _h, _yc + si, _h * 4L, _h * 4L);
            }
        }
    }

    /// <summary>y = a·w + b (input projection of a 1-channel frame).</summary>
    private static void Axpb(float a, float* w, float* b, float* y, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var av = Vector256.Create(a);
            for (; i <= n - 8; i += 8)
                (av * Vector256.Load(w + i) + (b != null ? Vector256.Load(b + i) : Vector256<float>.Zero)).Store(y + i);
        }
        for (; i < n; i++) y[i] = a * w[i] + (b != null ? b[i] : 0f);
    }

    private void Clip(float* v, int n)
    {
        float lim = _s.Clip;
        if (lim <= 0) return;
        for (int i = 0; i < n; i++) v[i] = Math.Clamp(v[i], -lim, lim);
    }

    /// <summary>z = σ(xz+rz), r = σ(xr+rr), n = tanh(xn + r·rn), h = n + z·(h − n).</summary>
    private static void GruFast(float* x, float* r, float* h, int hs)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= hs - 8; i += 8)
            {
                var z = ActivationsF32.Sigmoid(Vector256.Load(x + i) + Vector256.Load(r + i));
                var rg = ActivationsF32.Sigmoid(Vector256.Load(x + hs + i) + Vector256.Load(r + hs + i));
                var n = ActivationsF32.Tanh(Vector256.Load(x + 2 * hs + i) + rg * Vector256.Load(r + 2 * hs + i));
                var hv = Vector256.Load(h + i);
                (n + z * (hv - n)).Store(h + i);
            }
        }
        for (; i <= hs - 4; i += 4)
        {
            var z = ActivationsF32.Sigmoid(Vector128.Load(x + i) + Vector128.Load(r + i));
            var rg = ActivationsF32.Sigmoid(Vector128.Load(x + hs + i) + Vector128.Load(r + hs + i));
            var n = ActivationsF32.Tanh(Vector128.Load(x + 2 * hs + i) + rg * Vector128.Load(r + 2 * hs + i));
            var hv = Vector128.Load(h + i);
            (n + z * (hv - n)).Store(h + i);
        }
        for (; i < hs; i++)
        {
            float z = ActivationsF32.Sigmoid(x[i] + r[i]);
            float rg = ActivationsF32.Sigmoid(x[hs + i] + r[hs + i]);
            float n = ActivationsF32.Tanh(x[2 * hs + i] + rg * r[2 * hs + i]);
            h[i] = n + z * (h[i] - n);
        }
    }

    private void GruGeneric(int d, float* x, float* r, float* h, float* rt, float* rb)
    {
        int hs = _h;
        var f = _s.Activations[d][0];
        var g = _s.Activations[d][1];
        float* gz = _g, gr = _g + hs, gn = _g + 2 * hs;
        for (int i = 0; i < 2 * hs; i++) _g[i] = x[i] + r[i];
        Clip(_g, 2 * hs);
        f.Apply(_g, 2 * hs);
        if (_s.LinearBeforeReset)
        {
            for (int i = 0; i < hs; i++) gn[i] = x[2 * hs + i] + gr[i] * r[2 * hs + i];
        }
        else
        {
            for (int i = 0; i < hs; i++) _tmp[i] = gr[i] * h[i];
            // gn = (r ⊙ h)·R_hᵀ + Rb_h
            VecMat.Run(hs, hs, _tmp, rt + 2 * hs, _gh, rb != null ? rb + 2 * hs : null, gn);
            for (int i = 0; i < hs; i++) gn[i] += x[2 * hs + i];
        }
        Clip(gn, hs);
        g.Apply(gn, hs);
        for (int i = 0; i < hs; i++) h[i] = gn[i] + gz[i] * (h[i] - gn[i]);
    }

    /// <summary>ONNX gate order i, o, f, c: C = f·c + i·tanh(c̃), h = o·tanh(C).</summary>
    private static void LstmFast(float* x, float* r, float* h, float* c, int hs)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= hs - 8; k += 8)
            {
                var ig = ActivationsF32.Sigmoid(Vector256.Load(x + k) + Vector256.Load(r + k));
                var og = ActivationsF32.Sigmoid(Vector256.Load(x + hs + k) + Vector256.Load(r + hs + k));
                var fg = ActivationsF32.Sigmoid(Vector256.Load(x + 2 * hs + k) + Vector256.Load(r + 2 * hs + k));
                var cg = ActivationsF32.Tanh(Vector256.Load(x + 3 * hs + k) + Vector256.Load(r + 3 * hs + k));
                var cn = fg * Vector256.Load(c + k) + ig * cg;
                cn.Store(c + k);
                (og * ActivationsF32.Tanh(cn)).Store(h + k);
            }
        }
        for (; k <= hs - 4; k += 4)
        {
            var ig = ActivationsF32.Sigmoid(Vector128.Load(x + k) + Vector128.Load(r + k));
            var og = ActivationsF32.Sigmoid(Vector128.Load(x + hs + k) + Vector128.Load(r + hs + k));
            var fg = ActivationsF32.Sigmoid(Vector128.Load(x + 2 * hs + k) + Vector128.Load(r + 2 * hs + k));
            var cg = ActivationsF32.Tanh(Vector128.Load(x + 3 * hs + k) + Vector128.Load(r + 3 * hs + k));
            var cn = fg * Vector128.Load(c + k) + ig * cg;
            cn.Store(c + k);
            (og * ActivationsF32.Tanh(cn)).Store(h + k);
        }
        for (; k < hs; k++)
        {
            float ig = ActivationsF32.Sigmoid(x[k] + r[k]);
            float og = ActivationsF32.Sigmoid(x[hs + k] + r[hs + k]);
            float fg = ActivationsF32.Sigmoid(x[2 * hs + k] + r[2 * hs + k]);
            float cg = ActivationsF32.Tanh(x[3 * hs + k] + r[3 * hs + k]);
            float cn = fg * c[k] + ig * cg;
            c[k] = cn;
            h[k] = og * ActivationsF32.Tanh(cn);
        }
    }

    private void LstmGeneric(int d, float* x, float* r, float* h, float* c)
    {
        int hs = _h;
        var f = _s.Activations[d][0];
        var g = _s.Activations[d][1];
        var hh = _s.Activations[d][2];
        float* pi = _p != null ? _p + (long)d * 3 * hs : null;
        float* po = pi != null ? pi + hs : null;
        float* pf = pi != null ? pi + 2 * hs : null;
        float* gi = _g, go = _g + hs, gf = _g + 2 * hs, gc = _g + 3 * hs;
        for (int k = 0; k < 4 * hs; k++) _g[k] = x[k] + r[k];
        if (pi != null)
            for (int k = 0; k < hs; k++) { gi[k] += pi[k] * c[k]; gf[k] += pf[k] * c[k]; }
        Clip(gi, hs); Clip(gf, hs); Clip(gc, hs);
        f.Apply(gi, hs);
        if (_s.InputForget) for (int k = 0; k < hs; k++) gf[k] = 1f - gi[k];
        else f.Apply(gf, hs);
        g.Apply(gc, hs);
        for (int k = 0; k < hs; k++) c[k] = gf[k] * c[k] + gi[k] * gc[k];
        if (po != null) for (int k = 0; k < hs; k++) go[k] += po[k] * c[k];
        Clip(go, hs);
        f.Apply(go, hs);
        for (int k = 0; k < hs; k++) _tmp[k] = c[k];
        hh.Apply(_tmp, hs);
        for (int k = 0; k < hs; k++) h[k] = go[k] * _tmp[k];
    }

    private void RnnStep(int d, float* x, float* r, float* h)
    {
        int hs = _h;
        for (int k = 0; k < hs; k++) _g[k] = x[k] + r[k];
        Clip(_g, hs);
        _s.Activations[d][0].Apply(_g, hs);
        for (int k = 0; k < hs; k++) h[k] = _g[k];
    }
}
