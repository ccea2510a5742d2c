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
/// <para>How it works: at one frame per call a step is latency bound (h(t) → R·h → σ(r) → tanh(n) → h(t+1)), and the
/// R·h product is bound by how fast h can be broadcast and the weights streamed. Weights are packed at construction
/// as product-group panels (<see cref="FrameMath.GroupProducts"/>): the r, z and n slots of one or two hidden vectors
/// side by side — a bias row, the W rows, the R rows — so each broadcast x[i] or h[k] feeds 3 or 6 FMAs, with two
/// chains over even and odd k; n's input side (W_n x + Wb_n, kept apart because r multiplies only the recurrent side)
/// is a small separate panel per hidden vector. A step computes every group's pre-activations into a small buffer,
/// then the gate math per hidden vector in registers (<see cref="ActivationMath"/>) with h updated in place.
/// Every frame runs the same arithmetic (block-size invariant) and each lane's sequence of operations does not depend
/// on the vector width (all paths bit-identical).</para>
/// <para>Run and ResetState allocate nothing. State (h, then scratch): <see cref="StateFloats"/> floats owned by the
/// caller.</para></summary>
public sealed unsafe class GruCell : FrameCell
{
    private const int Gates = 3;
    private readonly float[] _packed;
    private readonly float* _r, _x;          // group panels; per-vector input panels + biases
    private readonly int _vectors, _vpg;
    private readonly delegate*<GruCell, int, float*, int, float*, int, float*, void> _run;
    private readonly long _xStride;

    /// <param name="w">W [3H, I], gates z, r, n (ONNX).</param>
    /// <param name="r">R [3H, H].</param>
    /// <param name="wb">Wb [3H] or empty.</param>
    /// <param name="rb">Rb [3H] or empty.</param>
    public GruCell(int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
        : this(KernelPaths.BestF32, inputSize, hidden, w, r, wb, rb) { }

    public GruCell(KernelPath path, int inputSize, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
        : base("GRU", Gates, path, inputSize, hidden, w, r, wb, rb)
    {
        _vectors = Vectors;
        _vpg = VectorsPerGroup;
        _run = Select(Path);
        int L = Lanes;
        long groups = (long)Gates * PaddedHidden * (1 + inputSize + hidden);
        _xStride = (long)(1 + inputSize) * L;
        long total = groups + _vectors * _xStride;
        _packed = FramePath.Pinned(total, out _r);
        _x = _r + groups;
        var dst = new Span<float>(_r, (int)total);
        float B(ReadOnlySpan<float> bias, int i) => bias.IsEmpty ? 0f : bias[i];
        var wbs = wb.ToArray(); var rbs = rb.ToArray();
        // slots r, z, n (ONNX gates z = 0, r = 1, n = 2); n's slot holds only the recurrent side.
        FrameMath.PackGroups(w, r, (slot, j) => slot switch
        {
            0 => B(wbs, hidden + j) + B(rbs, hidden + j),
            1 => B(wbs, j) + B(rbs, j),
            _ => B(rbs, 2 * hidden + j),
        }, inputSize, hidden, L, _vectors, _vpg, [1, 0, -1], [1, 0, 2], dst);
        for (int v = 0; v < _vectors; v++)   // n's input side: bias row, then W_n rows
            for (int k = -1; k < inputSize; k++)
                for (int l = 0; l < L; l++)
                {
                    int j = v * L + l;
                    dst[(int)(groups + v * _xStride + (k + 1) * L + l)] = j >= hidden ? 0f : k < 0 ? B(wbs, 2 * hidden + j) : w[(2 * hidden + j) * inputSize + k];
                }
    }

    /// <summary>Floats of state the caller keeps between calls: h, then scratch (pre-activations).</summary>
    public int StateFloats => 4 * PaddedHidden;

    /// <summary>An upper bound of <see cref="StateFloats"/> over every path (for planners that size the state before
    /// the cell exists).</summary>
    public static int StateFloatsFor(int hidden) => 4 * FramePath.RoundUp(hidden, 16);

    /// <summary>h ← h0 (Hidden floats), or zeros when h0 is null.</summary>
    public void ResetState(float* state, float* h0)
    {
        new Span<float>(state, StateFloats).Clear();
        if (h0 != null) new ReadOnlySpan<float>(h0, Hidden).CopyTo(new Span<float>(state, Hidden));
    }


    /// <summary>Run <paramref name="frames"/> steps: x row t at x + t·ldx (InputSize floats), h after step t written to
    /// y + t·ldy (Hidden floats) when y is not null; the state carries h across calls.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run(int frames, float* x, int ldx, float* y, int ldy, float* state) => _run(this, frames, x, ldx, y, ldy, state);

    /// <summary>The step instantiation for the path, chosen once at construction.</summary>
    private static delegate*<GruCell, int, float*, int, float*, int, float*, void> Select(KernelPath path) => path switch
    {
        KernelPath.Avx512 => &Run<Avx512Isa, Vector512<float>, Group6>,
        KernelPath.Avx2 => &Run<Avx2Isa, Vector256<float>, Group3>,
        KernelPath.AdvSimd => &Run<AdvSimdIsa, Vector128<float>, Group6>,
        KernelPath.NeonModel => &Run<AdvSimdModelIsa, Vector128<float>, Group6>,
        KernelPath.Portable => &Run<PortableIsa, Vector128<float>, Group3>,
        _ => &Run<ScalarIsa, float, Group3>,
    };

    private static void Run<TIsa, TV, TPair>(GruCell cell, int frames, float* x, int ldx, float* y, int ldy, float* state)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TPair : struct, IGroupSize
    {
        int L = TIsa.Lanes, I = cell.InputSize, H = cell.Hidden, V = cell._vectors, vpg = cell._vpg;
        float* h = state, pre = h + cell.PaddedHidden;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            float* yt = y != null ? y + (long)t * ldy : null;
            // Every product first (h is read throughout), then the gate math with h updated in place.
            FrameMath.AllGroups<TIsa, TV, Group3, TPair>(cell._r, xt, I, h, H, V, vpg, pre);
            for (int v = 0; v < V; v++)
            {
                float* pv = pre + v * Gates * L;
                cell.Finish<TIsa, TV>(v, TIsa.Load(pv), TIsa.Load(pv + L), TIsa.Load(pv + 2 * L), xt, h, yt);
            }
        }
    }

    /// <summary>The gate math of hidden vector v: r = σ(ar), z = σ(az), n = tanh(W_n x + Wb_n + r·ahn),
    /// h' = n + z·(h − n), stored over h and (Hidden floats in all) into y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<TIsa, TV>(int v, TV ar, TV az, TV ahn, float* xt, float* h, float* yt) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        float* xp = _x + v * _xStride;
        TV axn = FrameMath.Dot1<TIsa, TV>(TIsa.Load(xp), xp + L, xt, InputSize);
        TV rg = ActivationMath.Sigmoid<TIsa, TV>(ar);
        TV n = ActivationMath.Tanh<TIsa, TV>(TIsa.Fma(axn, rg, ahn));
        TV z = ActivationMath.Sigmoid<TIsa, TV>(az);
        TV hv = TIsa.Fma(n, z, TIsa.Sub(TIsa.Load(h + v * L), n));
        TIsa.Store(h + v * L, hv);
        if (yt != null) FrameMath.StorePartial<TIsa, TV>(yt + v * L, hv, Hidden - v * L);
    }
}
