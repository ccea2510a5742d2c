using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>A forward LSTM layer (batch 1, no peepholes, no clip, default activations σ, tanh, tanh) run one frame at
/// a time, ONNX gate order i, o, f, c: i = σ(·), o = σ(·), f = σ(·), g = tanh(·) of W x + R h + Wb + Rb;
/// c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
/// <para>How it works: as <see cref="GruCell"/> — product-group panels (bias row, W rows, R rows; the g, i, f, o slots
/// of one or two hidden vectors side by side, so one broadcast x[i] or h[k] feeds 4 or 8 FMAs,
/// <see cref="FrameMath.GroupProducts"/>) into a small pre-activation buffer, then the gate math per hidden vector
/// with h and c updated in place.
/// Same arithmetic for every frame (block-size invariant) and on every path (bit-identical). Run and ResetState
/// allocate nothing. State (h, c, then scratch): <see cref="StateFloats"/> floats owned by the caller.</para></summary>
public sealed unsafe class LstmCell : FrameCell
{
    private const int Gates = 4;
    private readonly float[] _packed;
    private readonly float* _r;
    private readonly int _vectors, _vpg;
    private readonly delegate*<LstmCell, int, float*, int, float*, int, float*, void> _run;

    /// <param name="w">W [4H, I], gates i, o, f, c (ONNX).</param>
    /// <param name="r">R [4H, H].</param>
    /// <param name="wb">Wb [4H] or empty.</param>
    /// <param name="rb">Rb [4H] or empty.</param>
    public LstmCell(int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
        : this(KernelPaths.BestF32, inputSize, hidden, w, r, wb, rb) { }

    public LstmCell(KernelPath path, int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
        : base("LSTM", Gates, path, inputSize, hidden, w, r, wb, rb)
    {
        _vectors = Vectors;
        _vpg = VectorsPerGroup;
        _run = Select(Path);
        long total = (long)Gates * PaddedHidden * (1 + inputSize + hidden);
        _packed = FramePath.Pinned(total, out _r);
        var wbs = wb.ToArray(); var rbs = rb.ToArray();
        int[] order = [3, 0, 2, 1];   // slots g, i, f, o → ONNX gate index (i, o, f, c)
        FrameMath.PackGroups(w, r, (slot, j) => (wbs.Length == 0 ? 0f : wbs[order[slot] * hidden + j]) + (rbs.Length == 0 ? 0f : rbs[order[slot] * hidden + j]),
            inputSize, hidden, Lanes, _vectors, _vpg, order, order, new Span<float>(_r, (int)total));
    }

    /// <summary>Floats of state the caller keeps between calls: h, c, then scratch (pre-activations).</summary>
    public int StateFloats => 6 * PaddedHidden;

    /// <summary>An upper bound of <see cref="StateFloats"/> over every path (for planners that size the state before
    /// the cell exists).</summary>
    public static int StateFloatsFor(int hidden) => 6 * FramePath.RoundUp(hidden, 16);

    /// <summary>h ← h0, c ← c0 (Hidden floats each), zeros where null.</summary>
    public void ResetState(float* state, float* h0, float* c0)
    {
        new Span<float>(state, StateFloats).Clear();
        if (h0 != null) new ReadOnlySpan<float>(h0, Hidden).CopyTo(new Span<float>(state, Hidden));
        if (c0 != null) new ReadOnlySpan<float>(c0, Hidden).CopyTo(new Span<float>(state + PaddedHidden, Hidden));
    }

    /// <summary>The current c (Hidden floats) inside <paramref name="state"/>.</summary>
    public float* CellState(float* state) => state + PaddedHidden;

    /// <summary>Run <paramref name="frames"/> steps: x row t at x + t·ldx (InputSize floats), h after step t written to
    /// y + t·ldy (Hidden floats) when y is not null; the state carries h and c across calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run(int frames, float* x, int ldx, float* y, int ldy, float* state) => _run(this, frames, x, ldx, y, ldy, state);

    /// <summary>The step instantiation for the path, chosen once at construction.</summary>
    private static delegate*<LstmCell, int, float*, int, float*, int, float*, void> Select(KernelPath path) => path switch
    {
        KernelPath.Avx512 => &Run<Avx512Isa, Vector512<float>, Group8>,
        KernelPath.Avx2 => &Run<Avx2Isa, Vector256<float>, Group4>,
        KernelPath.AdvSimd => &Run<AdvSimdIsa, Vector128<float>, Group8>,
        KernelPath.NeonModel => &Run<AdvSimdModelIsa, Vector128<float>, Group8>,
        KernelPath.Portable => &Run<PortableIsa, Vector128<float>, Group4>,
        _ => &Run<ScalarIsa, float, Group4>,
    };

    private static void Run<TIsa, TV, TPair>(LstmCell cell, int frames, float* x, int ldx, float* y, int ldy, float* state)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TPair : struct, IGroupSize
    {
        int L = TIsa.Lanes, I = cell.InputSize, H = cell.Hidden, V = cell._vectors, vpg = cell._vpg;
        float* h = state, c = h + cell.PaddedHidden, pre = c + cell.PaddedHidden;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            float* yt = y != null ? y + (long)t * ldy : null;
            // Every product first (h is read throughout), then the gate math with h updated in place.
            FrameMath.AllGroups<TIsa, TV, Group4, TPair>(cell._r, xt, I, h, H, V, vpg, pre);
            for (int v = 0; v < V; v++)
            {
                float* pv = pre + v * Gates * L;
                cell.Finish<TIsa, TV>(v, TIsa.Load(pv), TIsa.Load(pv + L), TIsa.Load(pv + 2 * L), TIsa.Load(pv + 3 * L), h, c, yt);
            }
        }
    }

    /// <summary>The gate math of hidden vector v: c ← σ(f)·c + σ(i)·tanh(g), h ← σ(o)·tanh(c), h also into y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<TIsa, TV>(int v, TV ag, TV ai, TV af, TV ao, float* h, float* c, float* yt) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        TV gg = ActivationMath.Tanh<TIsa, TV>(ag);
        TV ig = ActivationMath.Sigmoid<TIsa, TV>(ai);
        TV fg = ActivationMath.Sigmoid<TIsa, TV>(af);
        TV cv = TIsa.Fma(TIsa.Mul(ig, gg), fg, TIsa.Load(c + v * L));
        TIsa.Store(c + v * L, cv);
        TV hv = TIsa.Mul(ActivationMath.Sigmoid<TIsa, TV>(ao), ActivationMath.Tanh<TIsa, TV>(cv));
        TIsa.Store(h + v * L, hv);
        if (yt != null) FrameMath.StorePartial<TIsa, TV>(yt + v * L, hv, Hidden - v * L);
    }
}
