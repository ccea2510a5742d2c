using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>A dense layer (or a causal dilated 1-D convolution's taps) one frame at a time, with its activation fused:
/// y[t] = act(bias + Σ_{j&lt;taps} Σ_{i&lt;inputs} x_j(t)[i]·W[j][i][:]), where tap j of frame t is the row at
/// x + t·ldx + j·tapStride (a dense layer has one tap; a causal conv passes its history rows as taps, so nothing is
/// gathered or copied per frame).
/// <para>How it works: W is packed at construction per output vector (Lanes outputs, zero-padded) as taps·inputs rows
/// of Lanes floats; a frame broadcasts each input and runs four independent FMA chains per output vector
/// (<see cref="FrameMath.Dot4"/>), applies the activation in registers and stores. A layer with one output and one
/// tap is a dot product instead (vector multiply-adds along the inputs and one horizontal sum). The same arithmetic
/// runs for every frame, so results do not depend on the block size. No allocation in Run.</para></summary>
public sealed unsafe class FrameDense
{
    private readonly float[] _packed;
    private readonly float* _p;
    private readonly int _vectors, _rows;
    private readonly long _vStride;
    private readonly bool _dot;
    private readonly float _bias0;
    private readonly ActivationKind _act;
    private readonly delegate*<FrameDense, int, float*, int, long, float*, int, void> _kernel;

    /// <param name="w">W as [taps][inputs][outputs] (Keras Dense [in, out] when taps = 1).</param>
    /// <param name="bias">[outputs] or empty.</param>
    /// <param name="activation">Applied to the result, or null for none.</param>
    public FrameDense(int inputs, int outputs, int taps, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ActivationKind? activation, float alpha = 0f)
        : this(KernelPaths.BestF32, inputs, outputs, taps, w, bias, activation, alpha) { }

    public FrameDense(KernelPath path, int inputs, int outputs, int taps, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ActivationKind? activation, float alpha = 0f)
    {
        if (inputs < 1 || outputs < 1 || taps < 1) throw new ArgumentException($"dense: inputs {inputs}, outputs {outputs} and taps {taps} must be ≥ 1");
        if (w.Length != inputs * outputs * taps) throw new ArgumentException($"dense: W must have {inputs * outputs * taps} floats, got {w.Length}");
        if (!bias.IsEmpty && bias.Length != outputs) throw new ArgumentException($"dense: bias must have {outputs} floats, got {bias.Length}");
        Inputs = inputs; Outputs = outputs; Taps = taps; Activation = activation; Alpha = alpha;
        _act = activation.GetValueOrDefault();
        int actCode = activation switch { null => 0, ActivationKind.Tanh => 1, ActivationKind.Sigmoid => 2, ActivationKind.Relu => 3, _ => 4 };
        _rows = inputs * taps;
        _dot = outputs == 1 && taps == 1;
        Path = FramePath.Choose(path, _dot ? inputs : outputs);
        Lanes = FramePath.Lanes(Path);
        _kernel = Select(Path, actCode, _dot, taps > 1);
        if (_dot)
        {
            // The weight column as one contiguous row, padded to whole vectors.
            _vectors = 1;
            _vStride = FramePath.RoundUp(inputs, Lanes);
            _packed = FramePath.Pinned(_vStride, out _p);
            w.CopyTo(new Span<float>(_p, (int)_vStride));
            _bias0 = bias.IsEmpty ? 0f : bias[0];
        }
        else
        {
            _vectors = FramePath.RoundUp(outputs, Lanes) / Lanes;
            _vStride = (long)(_rows + 1) * Lanes;
            _packed = FramePath.Pinned(_vectors * _vStride, out _p);
            var dst = new Span<float>(_p, (int)(_vectors * _vStride));
            for (int v = 0; v < _vectors; v++)
                for (int l = 0; l < Lanes; l++)
                {
                    int o = v * Lanes + l;
                    if (o >= outputs) continue;
                    for (int k = 0; k < _rows; k++) dst[(int)(v * _vStride) + k * Lanes + l] = w[k * outputs + o];
                    dst[(int)(v * _vStride) + _rows * Lanes + l] = bias.IsEmpty ? 0f : bias[o];
                }
        }
    }

    public KernelPath Path { get; }
    public int Lanes { get; }
    public int Inputs { get; }
    public int Outputs { get; }
    public int Taps { get; }
    public ActivationKind? Activation { get; }
    public float Alpha { get; }

    /// <summary>Frames t &lt; frames: taps at x + t·ldx + j·tapStride (Inputs floats each), output row at y + t·ldy
    /// (Outputs floats). y must not overlap the inputs of the same frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run(int frames, float* x, int ldx, long tapStride, float* y, int ldy) => _kernel(this, frames, x, ldx, tapStride, y, ldy);

    /// <summary>The kernel instantiation for a path, an activation and the dot/product form, chosen once at
    /// construction (a call per frame block through one pointer instead of two switches).</summary>
    private static delegate*<FrameDense, int, float*, int, long, float*, int, void> Select(KernelPath path, int act, bool dot, bool taps) => path switch
    {
        KernelPath.Avx512 => Select<Avx512Isa, Vector512<float>>(act, dot, taps),
        KernelPath.Avx2 => Select<Avx2Isa, Vector256<float>>(act, dot, taps),
        KernelPath.AdvSimd => Select<AdvSimdIsa, Vector128<float>>(act, dot, taps),
        KernelPath.NeonModel => Select<AdvSimdModelIsa, Vector128<float>>(act, dot, taps),
        KernelPath.Portable => Select<PortableIsa, Vector128<float>>(act, dot, taps),
        _ => Select<ScalarIsa, float>(act, dot, taps),
    };

    private static delegate*<FrameDense, int, float*, int, long, float*, int, void> Select<TIsa, TV>(int act, bool dot, bool taps)
        where TIsa : struct, IFloatIsa<TV> where TV : struct => act switch
    {
        0 => dot ? &Dot<TIsa, TV, NoAct> : taps ? &TapProduct<TIsa, TV, NoAct> : &Product<TIsa, TV, NoAct>,
        1 => dot ? &Dot<TIsa, TV, TanhAct> : taps ? &TapProduct<TIsa, TV, TanhAct> : &Product<TIsa, TV, TanhAct>,
        2 => dot ? &Dot<TIsa, TV, SigmoidAct> : taps ? &TapProduct<TIsa, TV, SigmoidAct> : &Product<TIsa, TV, SigmoidAct>,
        3 => dot ? &Dot<TIsa, TV, ReluAct> : taps ? &TapProduct<TIsa, TV, ReluAct> : &Product<TIsa, TV, ReluAct>,
        _ => dot ? &Dot<TIsa, TV, AnyAct> : taps ? &TapProduct<TIsa, TV, AnyAct> : &Product<TIsa, TV, AnyAct>,
    };

    /// <summary>One output, one tap: vector multiply-adds along the inputs, one horizontal sum.</summary>
    private static void Dot<TIsa, TV, TAct>(FrameDense d, int frames, float* x, int ldx, long tapStride, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TAct : struct, IFrameActivation
    {
        int L = TIsa.Lanes, n = d.Inputs, nv = n - n % L;
        float* w = d._p;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            TV a0 = TIsa.Zero, a1 = TIsa.Zero;
            int i = 0;
            for (; i <= nv - 2 * L; i += 2 * L)
            {
                a0 = TIsa.Fma(a0, TIsa.Load(xt + i), TIsa.Load(w + i));
                a1 = TIsa.Fma(a1, TIsa.Load(xt + i + L), TIsa.Load(w + i + L));
            }
            if (i < nv) a0 = TIsa.Fma(a0, TIsa.Load(xt + i), TIsa.Load(w + i));
            float s = TIsa.Sum(TIsa.Add(a0, a1)) + d._bias0;
            for (i = nv; i < n; i++) s = MathF.FusedMultiplyAdd(xt[i], w[i], s);
            y[(long)t * ldy] = TAct.Apply<ScalarIsa, float>(s, d._act, d.Alpha);
        }
    }

    /// <summary>Per output vector: bias + four-chain broadcast products over the inputs, activation, store.</summary>
    private static void Product<TIsa, TV, TAct>(FrameDense d, int frames, float* x, int ldx, long tapStride, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TAct : struct, IFrameActivation
    {
        int L = TIsa.Lanes, n = d.Inputs, O = d.Outputs, V = d._vectors, rows = d._rows;
        long vStride = d._vStride;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            float* yt = y + (long)t * ldy;
            float* pv = d._p;
            for (int v = 0; v < V; v++, pv += vStride)
            {
                TV acc = FrameMath.Dot4<TIsa, TV>(TIsa.Load(pv + (long)rows * L), pv, xt, n);
                FrameMath.StorePartial<TIsa, TV>(yt + v * L, TAct.Apply<TIsa, TV>(acc, d._act, d.Alpha), O - v * L);
            }
        }
    }

    /// <summary><see cref="Product"/> over every tap's inputs (the four chains run on across taps).</summary>
    private static void TapProduct<TIsa, TV, TAct>(FrameDense d, int frames, float* x, int ldx, long tapStride, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TAct : struct, IFrameActivation
    {
        int L = TIsa.Lanes, n = d.Inputs, O = d.Outputs, taps = d.Taps, V = d._vectors, rows = d._rows;
        long vStride = d._vStride;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + (long)t * ldx;
            float* yt = y + (long)t * ldy;
            float* pv = d._p;
            for (int v = 0; v < V; v++, pv += vStride)
            {
                TV acc = FrameMath.Dot4Taps<TIsa, TV>(TIsa.Load(pv + (long)rows * L), pv, xt, n, taps, tapStride);
                FrameMath.StorePartial<TIsa, TV>(yt + v * L, TAct.Apply<TIsa, TV>(acc, d._act, d.Alpha), O - v * L);
            }
        }
    }
}

/// <summary>The activation a per-frame kernel instantiation applies (a compile-time choice: one inlined body).</summary>
internal interface IFrameActivation
{
    static abstract TV Apply<TIsa, TV>(TV v, ActivationKind kind, float alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct;
}
internal readonly struct NoAct : IFrameActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TIsa, TV>(TV v, ActivationKind kind, float alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct => v;
}
internal readonly struct TanhAct : IFrameActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TIsa, TV>(TV v, ActivationKind kind, float alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct => ActivationMath.Tanh<TIsa, TV>(v);
}
internal readonly struct SigmoidAct : IFrameActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TIsa, TV>(TV v, ActivationKind kind, float alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct => ActivationMath.Sigmoid<TIsa, TV>(v);
}
internal readonly struct ReluAct : IFrameActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TIsa, TV>(TV v, ActivationKind kind, float alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct => TIsa.Max(v, TIsa.Zero);
}
/// <summary>Any other <see cref="ActivationKind"/> (elu, ...), dispatched per vector.</summary>
internal readonly struct AnyAct : IFrameActivation
{
    public static TV Apply<TIsa, TV>(TV v, ActivationKind kind, float alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct
        => ActivationMath.Apply<TIsa, TV>(kind, v, TIsa.Broadcast(alpha));
}
