using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>A forward LSTM layer (batch 1, no peepholes, no clip, default activations σ, tanh, tanh) run one frame at
/// a time, ONNX gate order i, o, f, c: i = σ(·), o = σ(·), f = σ(·), g = tanh(·) of W x + R h + Wb + Rb;
/// c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
/// <para>How it works: as <see cref="GruCell"/> — R packed as product-group panels (the g, i, f, o rows of one or two
/// hidden vectors side by side, so one broadcast h[k] feeds 4 or 8 FMAs), W and the combined biases per hidden
/// vector; a step computes bias + W·x into the pre-activation buffer, adds R·h group by group
/// (<see cref="FrameMath.GroupProducts"/>), then runs the gate math per hidden vector with h and c updated in place.
/// Same arithmetic for every frame (block-size invariant) and on every path (bit-identical). Run and ResetState
/// allocate nothing. State (h, c, then scratch): <see cref="StateFloats"/> floats owned by the caller.</para></summary>
public sealed unsafe class LstmCell
{
    private const int Gates = 4;
    private readonly float[] _packed;
    private readonly float* _r, _x;
    private readonly int _vectors, _vpg;
    private readonly long _xStride;

    /// <param name="w">W [4H, I], gates i, o, f, c (ONNX).</param>
    /// <param name="r">R [4H, H].</param>
    /// <param name="wb">Wb [4H] or empty.</param>
    /// <param name="rb">Rb [4H] or empty.</param>
    public LstmCell(int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
        : this(KernelPaths.BestF32, inputSize, hidden, w, r, wb, rb) { }

    public LstmCell(KernelPath path, int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
    {
        if (inputSize < 0 || hidden < 1) throw new ArgumentException($"LSTM cell: input size {inputSize} and hidden size {hidden} must be ≥ 0 and ≥ 1");
        if (w.Length != 4 * hidden * inputSize || r.Length != 4 * hidden * hidden)
            throw new ArgumentException($"LSTM cell: W must have {4 * hidden * inputSize} floats and R {4 * hidden * hidden}, got {w.Length} and {r.Length}");
        if (!wb.IsEmpty && wb.Length != 4 * hidden || !rb.IsEmpty && rb.Length != 4 * hidden)
            throw new ArgumentException($"LSTM cell: biases must have {4 * hidden} floats");
        Path = FramePath.Choose(path, hidden);
        Lanes = FramePath.Lanes(Path);
        InputSize = inputSize;
        Hidden = hidden;
        PaddedHidden = FramePath.RoundUp(hidden, Lanes);
        _vectors = PaddedHidden / Lanes;
        _vpg = FrameMath.VectorsPerGroup(Path);
        int L = Lanes;
        long rFloats = (long)Gates * PaddedHidden * hidden;
        _xStride = (long)Gates * (inputSize + 1) * L;
        long total = rFloats + _vectors * _xStride;
        _packed = FramePath.Pinned(total, out _r);
        _x = _r + rFloats;
        var dst = new Span<float>(_r, (int)total);
        int[] order = [3, 0, 2, 1];   // slots g, i, f, o → ONNX gate index (i, o, f, c)
        FrameMath.PackGroups(r, hidden, L, _vectors, _vpg, order, dst);
        for (int v = 0; v < _vectors; v++)
        {
            var xv = dst[(int)(rFloats + v * _xStride)..];
            for (int g = 0; g < Gates; g++)
            {
                FrameMath.PackGate(w, order[g], hidden, inputSize, L, v, xv[(g * inputSize * L)..]);
                for (int l = 0; l < L; l++)
                {
                    int j = v * L + l, o = order[g] * hidden + j;
                    if (j < hidden) xv[Gates * inputSize * L + g * L + l] = (wb.IsEmpty ? 0f : wb[o]) + (rb.IsEmpty ? 0f : rb[o]);
                }
            }
        }
    }

    public KernelPath Path { get; }
    public int Lanes { get; }
    public int InputSize { get; }
    public int Hidden { get; }
    /// <summary>Hidden rounded up to a multiple of <see cref="Lanes"/>.</summary>
    public int PaddedHidden { get; }
    /// <summary>Floats of state the caller keeps between calls: h, c, then scratch (pre-activations, a spill vector).</summary>
    public int StateFloats => 6 * PaddedHidden + 16;

    /// <summary>An upper bound of <see cref="StateFloats"/> over every path (for planners that size the state before
    /// the cell exists).</summary>
    public static int StateFloatsFor(int hidden) => 6 * FramePath.RoundUp(hidden, 16) + 16;

    /// <summary>h ← h0, c ← c0 (Hidden floats each), zeros where null.</summary>
    public void ResetState(float* state, float* h0, float* c0)
    {
        new Span<float>(state, StateFloats).Clear();
        if (h0 != null) new ReadOnlySpan<float>(h0, Hidden).CopyTo(new Span<float>(state, Hidden));
        if (c0 != null) new ReadOnlySpan<float>(c0, Hidden).CopyTo(new Span<float>(state + PaddedHidden, Hidden));
    }

    /// <summary>The current h (Hidden floats) inside <paramref name="state"/>.</summary>
    public static float* HiddenState(float* state) => state;
    /// <summary>The current c (Hidden floats) inside <paramref name="state"/>.</summary>
    public float* CellState(float* state) => state + PaddedHidden;

    /// <summary>Run <paramref name="frames"/> steps: x row t at x + t·ldx (InputSize floats), h after step t written to
    /// y + t·ldy (Hidden floats) when y is not null; the state carries h and c across calls.</summary>
    public void Run(int frames, float* x, int ldx, float* y, int ldy, float* state)
    {
        switch (Path)
        {
            case KernelPath.Avx512: Run<Avx512Isa, Vector512<float>, Group8>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.Avx2: Run<Avx2Isa, Vector256<float>, Group4>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.AdvSimd: Run<AdvSimdIsa, Vector128<float>, Group8>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.NeonModel: Run<AdvSimdModelIsa, Vector128<float>, Group8>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.Portable: Run<PortableIsa, Vector128<float>, Group4>(frames, x, ldx, y, ldy, state); break;
            default: Run<ScalarIsa, float, Group4>(frames, x, ldx, y, ldy, state); break;
        }
    }

    private void Run<TIsa, TV, TPair>(int frames, float* x, int ldx, float* y, int ldy, float* state)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TPair : struct, IGroupSize
    {
        int L = TIsa.Lanes, I = InputSize, H = Hidden, V = _vectors, vpg = _vpg;
        long il = (long)I * L, groupFloats = (long)vpg * Gates * H * L;
        float* h = state, c = h + PaddedHidden, pre = c + PaddedHidden, spill = pre + Gates * PaddedHidden;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            // (1) bias + W·x for every gate.
            float* xv = _x;
            for (int v = 0; v < V; v++, xv += _xStride)
            {
                float* b = xv + Gates * il, pv = pre + v * Gates * L;
                for (int g = 0; g < Gates; g++) TIsa.Store(pv + g * L, FrameMath.Dot1<TIsa, TV>(TIsa.Load(b + g * L), xv + g * il, xt, I));
            }
            // (2) + R·h, one or two hidden vectors per group.
            float* rp = _r;
            int v0 = 0;
            for (; v0 + vpg <= V && vpg == 2; v0 += 2, rp += groupFloats)
                FrameMath.GroupProducts<TIsa, TV, TPair>(rp, h, H, pre + v0 * Gates * L);
            for (; v0 < V; v0++, rp += (long)Gates * H * L)
                FrameMath.GroupProducts<TIsa, TV, Group4>(rp, h, H, pre + v0 * Gates * L);
            // (3) gate math, h and c in place.
            float* yt = y != null ? y + (long)t * ldy : null;
            for (int v = 0; v < V; v++)
            {
                float* pv = pre + v * Gates * L;
                TV gg = ActivationMath.Tanh<TIsa, TV>(TIsa.Load(pv));
                TV ig = ActivationMath.Sigmoid<TIsa, TV>(TIsa.Load(pv + L));
                TV fg = ActivationMath.Sigmoid<TIsa, TV>(TIsa.Load(pv + 2 * L));
                TV cv = TIsa.Fma(TIsa.Mul(ig, gg), fg, TIsa.Load(c + v * L));
                TIsa.Store(c + v * L, cv);
                TV hv = TIsa.Mul(ActivationMath.Sigmoid<TIsa, TV>(TIsa.Load(pv + 3 * L)), ActivationMath.Tanh<TIsa, TV>(cv));
                TIsa.Store(h + v * L, hv);
                if (yt != null) FrameMath.StorePartial<TIsa, TV>(yt + v * L, hv, H - v * L, spill);
            }
        }
    }
}
