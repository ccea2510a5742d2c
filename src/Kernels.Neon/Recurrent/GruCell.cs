using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>A forward GRU layer (batch 1) run one frame at a time: ONNX GRU semantics with linear_before_reset = 1
/// (PyTorch/Keras reset_after), default activations (σ, tanh):
/// z = σ(W_z x + R_z h + Wb_z + Rb_z), r = σ(W_r x + R_r h + Wb_r + Rb_r),
/// n = tanh(W_n x + Wb_n + r ⊙ (R_n h + Rb_n)), h' = n + z ⊙ (h − n).
/// <para>How it works: at one frame per call a step is latency bound (h(t) → R·h → σ(r) → tanh(n) → h(t+1)) and the
/// R·h product is bound by how fast h can be broadcast and the panels streamed. Weights are packed at construction:
/// R as product-group panels (<see cref="FrameMath.GroupProducts"/>: the r, z and n rows of one or two hidden
/// vectors side by side, so each broadcast h[k] feeds 3 or 6 FMAs, in two chains over even and odd k), W and the
/// biases per hidden vector. A step has three phases: (1) the input side of every gate, bias + W·x, into a small
/// pre-activation buffer (independent of h, so it overlaps the previous step); (2) the group products, adding R·h;
/// (3) per hidden vector, the gate math in registers (<see cref="ActivationMath"/>) and h updated in place. The gate
/// latency is paid once per step, not once per vector. Every frame runs the same arithmetic (block-size invariant)
/// and each lane's sequence of operations does not depend on the vector width (all paths bit-identical).</para>
/// <para>Run and ResetState allocate nothing. State (h, then scratch): <see cref="StateFloats"/> floats owned by the
/// caller.</para></summary>
public sealed unsafe class GruCell
{
    private const int Gates = 3;
    private readonly float[] _packed;
    private readonly float* _r, _x;          // group panels; per-vector input panels + biases
    private readonly int _vectors, _vpg;
    private readonly long _xStride;

    /// <param name="w">W [3H, I], gates z, r, n (ONNX).</param>
    /// <param name="r">R [3H, H].</param>
    /// <param name="wb">Wb [3H] or empty.</param>
    /// <param name="rb">Rb [3H] or empty.</param>
    public GruCell(int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
        : this(KernelPaths.BestF32, inputSize, hidden, w, r, wb, rb) { }

    public GruCell(KernelPath path, int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
    {
        if (inputSize < 0 || hidden < 1) throw new ArgumentException($"GRU cell: input size {inputSize} and hidden size {hidden} must be ≥ 0 and ≥ 1");
        if (w.Length != 3 * hidden * inputSize || r.Length != 3 * hidden * hidden)
            throw new ArgumentException($"GRU cell: W must have {3 * hidden * inputSize} floats and R {3 * hidden * hidden}, got {w.Length} and {r.Length}");
        if (!wb.IsEmpty && wb.Length != 3 * hidden || !rb.IsEmpty && rb.Length != 3 * hidden)
            throw new ArgumentException($"GRU cell: biases must have {3 * hidden} floats");
        Path = FramePath.Choose(path, hidden);
        Lanes = FramePath.Lanes(Path);
        InputSize = inputSize;
        Hidden = hidden;
        PaddedHidden = FramePath.RoundUp(hidden, Lanes);
        _vectors = PaddedHidden / Lanes;
        _vpg = FrameMath.VectorsPerGroup(Path);
        int L = Lanes;
        long rFloats = (long)Gates * PaddedHidden * hidden;
        _xStride = (long)(Gates * inputSize + 4) * L;
        long total = rFloats + _vectors * _xStride;
        _packed = FramePath.Pinned(total, out _r);
        _x = _r + rFloats;
        var dst = new Span<float>(_r, (int)total);
        FrameMath.PackGroups(r, hidden, L, _vectors, _vpg, [1, 0, 2], dst);   // slots r, z, n (ONNX z=0, r=1, n=2)
        for (int v = 0; v < _vectors; v++)
        {
            var xv = dst[(int)(rFloats + v * _xStride)..];
            FrameMath.PackGate(w, 1, hidden, inputSize, L, v, xv);                          // r
            FrameMath.PackGate(w, 0, hidden, inputSize, L, v, xv[(inputSize * L)..]);       // z
            FrameMath.PackGate(w, 2, hidden, inputSize, L, v, xv[(2 * inputSize * L)..]);   // n
            var b = xv[(Gates * inputSize * L)..];
            for (int l = 0; l < L; l++)
            {
                int j = v * L + l;
                if (j >= hidden) continue;
                float B(ReadOnlySpan<float> bias, int gate) => bias.IsEmpty ? 0f : bias[gate * hidden + j];
                b[l] = B(wb, 1) + B(rb, 1);            // r
                b[L + l] = B(wb, 0) + B(rb, 0);        // z
                b[2 * L + l] = B(rb, 2);               // n, recurrent side (inside r ⊙ ·)
                b[3 * L + l] = B(wb, 2);               // n, input side
            }
        }
    }

    public KernelPath Path { get; }
    public int Lanes { get; }
    public int InputSize { get; }
    public int Hidden { get; }
    /// <summary>Hidden rounded up to a multiple of <see cref="Lanes"/>.</summary>
    public int PaddedHidden { get; }
    /// <summary>Floats of state the caller keeps between calls: h, then scratch (pre-activations, a spill vector).</summary>
    public int StateFloats => 5 * PaddedHidden + 16;

    /// <summary>An upper bound of <see cref="StateFloats"/> over every path (for planners that size the state before
    /// the cell exists).</summary>
    public static int StateFloatsFor(int hidden) => 5 * FramePath.RoundUp(hidden, 16) + 16;

    /// <summary>h ← h0 (Hidden floats), or zeros when h0 is null.</summary>
    public void ResetState(float* state, float* h0)
    {
        new Span<float>(state, StateFloats).Clear();
        if (h0 != null) new ReadOnlySpan<float>(h0, Hidden).CopyTo(new Span<float>(state, Hidden));
    }

    /// <summary>The current h (Hidden floats) inside <paramref name="state"/>.</summary>
    public static float* HiddenState(float* state) => state;

    /// <summary>Run <paramref name="frames"/> steps: x row t at x + t·ldx (InputSize floats), h after step t written to
    /// y + t·ldy (Hidden floats) when y is not null; the state carries h across calls.</summary>
    public void Run(int frames, float* x, int ldx, float* y, int ldy, float* state)
    {
        switch (Path)
        {
            case KernelPath.Avx512: Run<Avx512Isa, Vector512<float>, Group6>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.Avx2: Run<Avx2Isa, Vector256<float>, Group3>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.AdvSimd: Run<AdvSimdIsa, Vector128<float>, Group6>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.NeonModel: Run<AdvSimdModelIsa, Vector128<float>, Group6>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.Portable: Run<PortableIsa, Vector128<float>, Group3>(frames, x, ldx, y, ldy, state); break;
            default: Run<ScalarIsa, float, Group3>(frames, x, ldx, y, ldy, state); break;
        }
    }

    private void Run<TIsa, TV, TPair>(int frames, float* x, int ldx, float* y, int ldy, float* state)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TPair : struct, IGroupSize
    {
        int L = TIsa.Lanes, I = InputSize, H = Hidden, V = _vectors, vpg = _vpg;
        long il = (long)I * L, groupFloats = (long)vpg * Gates * H * L;
        float* h = state, pre = h + PaddedHidden, xn = pre + Gates * PaddedHidden, spill = xn + PaddedHidden;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            // (1) input side: r, z ← bias + W·x; n's recurrent slot ← Rb_n; n's input side kept apart.
            float* xv = _x;
            for (int v = 0; v < V; v++, xv += _xStride)
            {
                float* b = xv + Gates * il, pv = pre + v * Gates * L;
                TIsa.Store(pv, FrameMath.Dot1<TIsa, TV>(TIsa.Load(b), xv, xt, I));
                TIsa.Store(pv + L, FrameMath.Dot1<TIsa, TV>(TIsa.Load(b + L), xv + il, xt, I));
                TIsa.Store(pv + 2 * L, TIsa.Load(b + 2 * L));
                TIsa.Store(xn + v * L, FrameMath.Dot1<TIsa, TV>(TIsa.Load(b + 3 * L), xv + 2 * il, xt, I));
            }
            // (2) + R·h, one or two hidden vectors per group.
            float* rp = _r;
            int v0 = 0;
            for (; v0 + vpg <= V && vpg == 2; v0 += 2, rp += groupFloats)
                FrameMath.GroupProducts<TIsa, TV, TPair>(rp, h, H, pre + v0 * Gates * L);
            for (; v0 < V; v0++, rp += (long)Gates * H * L)
                FrameMath.GroupProducts<TIsa, TV, Group3>(rp, h, H, pre + v0 * Gates * L);
            // (3) gate math, h in place.
            float* yt = y != null ? y + (long)t * ldy : null;
            for (int v = 0; v < V; v++)
            {
                float* pv = pre + v * Gates * L;
                TV rg = ActivationMath.Sigmoid<TIsa, TV>(TIsa.Load(pv));
                TV n = ActivationMath.Tanh<TIsa, TV>(TIsa.Fma(TIsa.Load(xn + v * L), rg, TIsa.Load(pv + 2 * L)));
                TV z = ActivationMath.Sigmoid<TIsa, TV>(TIsa.Load(pv + L));
                TV hv = TIsa.Fma(n, z, TIsa.Sub(TIsa.Load(h + v * L), n));
                TIsa.Store(h + v * L, hv);
                if (yt != null) FrameMath.StorePartial<TIsa, TV>(yt + v * L, hv, H - v * L, spill);
            }
        }
    }
}
