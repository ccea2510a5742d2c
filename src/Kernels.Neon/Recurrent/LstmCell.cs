using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>A forward LSTM layer (batch 1, no peepholes, no clip, default activations σ, tanh, tanh) run one frame at
/// a time, ONNX gate order i, o, f, c: i = σ(·), o = σ(·), f = σ(·), g = tanh(·) of W x + R h + Wb + Rb;
/// c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
/// <para>How it works: as <see cref="GruCell"/> — weights packed at construction per output vector and gate (order
/// g, i, f, o: the cell update needs g, i, f first and o last), four-chain panel products
/// (<see cref="FrameMath.Dot4"/>), gate math in registers, c updated in place, h in place when it is one vector and
/// double-buffered otherwise. Same arithmetic for every frame (block-size invariant) and on every path
/// (bit-identical). Run and ResetState allocate nothing. State: <see cref="StateFloats"/> floats owned by the
/// caller.</para></summary>
public sealed unsafe class LstmCell
{
    private readonly float[] _packed;
    private readonly float* _p;
    private readonly int _vectors;
    private readonly long _gate, _vStride;

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
        _gate = (long)(hidden + inputSize + 1) * Lanes;   // R rows, W rows, bias
        _vStride = 4 * _gate;
        _packed = FramePath.Pinned(_vectors * _vStride);
        _p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_packed));
        Span<float> dst = _packed;
        int[] onnxGate = [3, 0, 2, 1]; // kernel order g, i, f, o → ONNX gate index (i, o, f, c)
        for (int g = 0; g < 4; g++)
        {
            FrameMath.PackGate(r, onnxGate[g], hidden, hidden, Lanes, _vectors, dst[(int)(g * _gate)..], _vStride);
            FrameMath.PackGate(w, onnxGate[g], hidden, inputSize, Lanes, _vectors, dst[(int)(g * _gate + (long)hidden * Lanes)..], _vStride);
            for (int v = 0; v < _vectors; v++)
                for (int l = 0; l < Lanes; l++)
                {
                    int j = v * Lanes + l, o = onnxGate[g] * hidden + j;
                    if (j < hidden)
                        dst[(int)(v * _vStride + g * _gate + (long)(hidden + inputSize) * Lanes + l)] = (wb.IsEmpty ? 0f : wb[o]) + (rb.IsEmpty ? 0f : rb[o]);
                }
        }
    }

    public KernelPath Path { get; }
    public int Lanes { get; }
    public int InputSize { get; }
    public int Hidden { get; }
    /// <summary>Hidden rounded up to a multiple of <see cref="Lanes"/>.</summary>
    public int PaddedHidden { get; }
    /// <summary>Floats of state the caller keeps between calls: h, room for h', c.</summary>
    public int StateFloats => 3 * PaddedHidden;

    /// <summary>h ← h0, c ← c0 (Hidden floats each), zeros where null.</summary>
    public void ResetState(float* state, float* h0, float* c0)
    {
        new Span<float>(state, StateFloats).Clear();
        if (h0 != null) new ReadOnlySpan<float>(h0, Hidden).CopyTo(new Span<float>(state, Hidden));
        if (c0 != null) new ReadOnlySpan<float>(c0, Hidden).CopyTo(new Span<float>(state + 2 * PaddedHidden, Hidden));
    }

    /// <summary>The current h (Hidden floats) inside <paramref name="state"/>.</summary>
    public static float* HiddenState(float* state) => state;
    /// <summary>The current c (Hidden floats) inside <paramref name="state"/>.</summary>
    public float* CellState(float* state) => state + 2 * PaddedHidden;

    /// <summary>Run <paramref name="frames"/> steps: x row t at x + t·ldx (InputSize floats), h after step t written to
    /// y + t·ldy (Hidden floats) when y is not null; the state carries h and c across calls.</summary>
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

    /// <summary>Gate pre-activation: bias + W·x + R·h for kernel gate <paramref name="gi"/> of the vector at pv.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Gate<TIsa, TV>(float* pv, int gi, float* xt, float* h) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, I = InputSize, H = Hidden;
        float* gp = pv + gi * _gate;
        TV proj = FrameMath.Dot1<TIsa, TV>(TIsa.Load(gp + (long)(H + I) * L), gp + (long)H * L, xt, I);
        return FrameMath.Dot4<TIsa, TV>(proj, gp, h, H);
    }

    private void Run<TIsa, TV>(int frames, float* x, int ldx, float* y, int ldy, float* state)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, H = Hidden, V = _vectors;
        float* spill = stackalloc float[16];
        float* cur = state, nxt = state + PaddedHidden, c = state + 2 * PaddedHidden;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            float* yt = y != null ? y + (long)t * ldy : null;
            float* dst = V == 1 ? cur : nxt;
            float* pv = _p;
            for (int v = 0; v < V; v++, pv += _vStride)
            {
                TV gg = ActivationMath.Tanh<TIsa, TV>(Gate<TIsa, TV>(pv, 0, xt, cur));
                TV ig = ActivationMath.Sigmoid<TIsa, TV>(Gate<TIsa, TV>(pv, 1, xt, cur));
                TV fg = ActivationMath.Sigmoid<TIsa, TV>(Gate<TIsa, TV>(pv, 2, xt, cur));
                TV og = ActivationMath.Sigmoid<TIsa, TV>(Gate<TIsa, TV>(pv, 3, xt, cur));
                TV cv = TIsa.Fma(TIsa.Mul(ig, gg), fg, TIsa.Load(c + v * L));
                TIsa.Store(c + v * L, cv);
                TV hv = TIsa.Mul(og, ActivationMath.Tanh<TIsa, TV>(cv));
                TIsa.Store(dst + v * L, hv);
                if (yt != null) FrameMath.StorePartial<TIsa, TV>(yt + v * L, hv, H - v * L, spill);
            }
            if (V > 1) { float* tmp = cur; cur = nxt; nxt = tmp; }
        }
        if (cur != state) new ReadOnlySpan<float>(cur, PaddedHidden).CopyTo(new Span<float>(state, PaddedHidden));
    }
}
