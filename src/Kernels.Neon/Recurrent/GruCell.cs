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
/// <para>How it works: the weights are packed at construction, per output vector v (Lanes hidden units) and gate
/// (in the order r, n, z, the order the step needs them), as H rows of R then I rows of W, each row Lanes floats,
/// followed by the four bias vectors; a step streams each panel once. A frame costs, per vector, three panel
/// products with four independent FMA chains over k (<see cref="FrameMath.Dot4"/>), then the gate math in
/// registers (<see cref="ActivationMath"/>); h never leaves L1. At one frame per call the step is latency bound
/// (h(t) → products → σ(r) → tanh(n) → h(t+1)); r's product is issued first so its sigmoid overlaps the n and z
/// products. With one vector (H ≤ Lanes) h is updated in place; otherwise h' goes to the second half of the state
/// and the halves swap. Every frame runs the same arithmetic, so results do not depend on the block size; every
/// path gives bit-identical results (see <see cref="FrameMath"/>).</para>
/// <para>Run and ResetState allocate nothing. State: <see cref="StateFloats"/> floats owned by the caller.</para></summary>
public sealed unsafe class GruCell
{
    private readonly float[] _packed;
    private readonly float* _p;
    private readonly int _vectors;
    private readonly long _gate, _vStride;

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
        _gate = (long)(hidden + inputSize) * Lanes;
        _vStride = 3 * _gate + 4L * Lanes;
        _packed = FramePath.Pinned(_vectors * _vStride);
        _p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_packed));
        Span<float> dst = _packed;
        int[] onnxGate = [1, 2, 0]; // kernel order r, n, z → ONNX gate index
        for (int g = 0; g < 3; g++)
        {
            FrameMath.PackGate(r, onnxGate[g], hidden, hidden, Lanes, _vectors, dst[(int)(g * _gate)..], _vStride);
            FrameMath.PackGate(w, onnxGate[g], hidden, inputSize, Lanes, _vectors, dst[(int)(g * _gate + (long)hidden * Lanes)..], _vStride);
        }
        for (int v = 0; v < _vectors; v++)
            for (int l = 0; l < Lanes; l++)
            {
                int j = v * Lanes + l;
                if (j >= hidden) continue;
                float B(ReadOnlySpan<float> b, int gate) => b.IsEmpty ? 0f : b[gate * hidden + j];
                long o = v * _vStride + 3 * _gate + l;
                dst[(int)o] = B(wb, 1) + B(rb, 1);                 // r
                dst[(int)(o + Lanes)] = B(wb, 0) + B(rb, 0);       // z
                dst[(int)(o + 2 * Lanes)] = B(wb, 2);              // n, input side
                dst[(int)(o + 3 * Lanes)] = B(rb, 2);              // n, recurrent side (inside r ⊙ ·)
            }
    }

    public KernelPath Path { get; }
    public int Lanes { get; }
    public int InputSize { get; }
    public int Hidden { get; }
    /// <summary>Hidden rounded up to a multiple of <see cref="Lanes"/>.</summary>
    public int PaddedHidden { get; }
    /// <summary>Floats of state the caller keeps between calls (h, and room for h' while a frame runs).</summary>
    public int StateFloats => 2 * PaddedHidden;

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
            case KernelPath.Avx512: Run<Avx512Isa, Vector512<float>>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.Avx2: Run<Avx2Isa, Vector256<float>>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.AdvSimd: Run<AdvSimdIsa, Vector128<float>>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.NeonModel: Run<AdvSimdModelIsa, Vector128<float>>(frames, x, ldx, y, ldy, state); break;
            case KernelPath.Portable: Run<PortableIsa, Vector128<float>>(frames, x, ldx, y, ldy, state); break;
            default: Run<ScalarIsa, float>(frames, x, ldx, y, ldy, state); break;
        }
    }

    private void Run<TIsa, TV>(int frames, float* x, int ldx, float* y, int ldy, float* state)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, I = InputSize, H = Hidden, V = _vectors;
        long g = _gate, vs = _vStride, hl = (long)H * L;
        float* spill = stackalloc float[16];
        float* cur = state, nxt = state + PaddedHidden;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            float* yt = y != null ? y + (long)t * ldy : null;
            float* dst = V == 1 ? cur : nxt;
            float* pv = _p;
            for (int v = 0; v < V; v++, pv += vs)
            {
                float* b = pv + 3 * g;
                TV ar = FrameMath.Dot4<TIsa, TV>(FrameMath.Dot1<TIsa, TV>(TIsa.Load(b), pv + hl, xt, I), pv, cur, H);
                TV ahn = FrameMath.Dot4<TIsa, TV>(TIsa.Load(b + 3 * L), pv + g, cur, H);
                TV rg = ActivationMath.Sigmoid<TIsa, TV>(ar);
                TV axn = FrameMath.Dot1<TIsa, TV>(TIsa.Load(b + 2 * L), pv + g + hl, xt, I);
                TV az = FrameMath.Dot4<TIsa, TV>(FrameMath.Dot1<TIsa, TV>(TIsa.Load(b + L), pv + 2 * g + hl, xt, I), pv + 2 * g, cur, H);
                TV n = ActivationMath.Tanh<TIsa, TV>(TIsa.Fma(axn, rg, ahn));
                TV z = ActivationMath.Sigmoid<TIsa, TV>(az);
                TV hv = TIsa.Fma(n, z, TIsa.Sub(TIsa.Load(cur + v * L), n));
                TIsa.Store(dst + v * L, hv);
                if (yt != null) FrameMath.StorePartial<TIsa, TV>(yt + v * L, hv, H - v * L, spill);
            }
            if (V > 1) { float* tmp = cur; cur = nxt; nxt = tmp; }
        }
        if (cur != state) new ReadOnlySpan<float>(cur, PaddedHidden).CopyTo(new Span<float>(state, PaddedHidden));
    }
}
