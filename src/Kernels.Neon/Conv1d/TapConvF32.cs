using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Weights of one <see cref="TapConvF32"/> convolution, packed by <see cref="TapConvPacking"/>:
/// <see cref="Rows"/> rows of <see cref="Ldw"/> floats (row k·Cin + c: tap k, input channel c; then row
/// Kernel·Cin + c: extra input channel c), then one bias row (zeros when there is no bias). Lanes ≥ N are zero.</summary>
public readonly unsafe struct TapConv
{
    public readonly float* W;
    public readonly int N, Ldw, Cin, Kernel, Dilation, Extra;
    public readonly bool HasBias;

    public TapConv(float* w, int n, int ldw, int cin, int kernel, int dilation, int extra, bool hasBias)
    {
        if (w == null || n < 1 || ldw < n || cin < 0 || kernel < 1 || dilation < 1 || extra < 0 || kernel * cin + extra < 1)
            throw new ArgumentException($"tap conv: n={n} ldw={ldw} cin={cin} kernel={kernel} dilation={dilation} extra={extra}");
        W = w; N = n; Ldw = ldw; Cin = cin; Kernel = kernel; Dilation = dilation; Extra = extra; HasBias = hasBias;
    }

    /// <summary>Weight rows: Kernel·Cin + Extra.</summary>
    public int Rows => Kernel * Cin + Extra;
    /// <summary>Frames of input history the taps reach back: (Kernel−1)·Dilation.</summary>
    public int HistoryFrames => (Kernel - 1) * Dilation;
}

/// <summary>Small-channel causal dilated 1-D convolution for streaming audio (NAM WaveNet layers, their 1×1
/// convs and FiLMs), time-major, with an optional second (1×1) input, bias and residual add in one pass:
/// <code>y[t, o] = add[t, o] + bias[o] + Σ_k Σ_c x[t − d·(K−1−k), c]·W[k·Cin + c, o] + Σ_c e[t, c]·W[K·Cin + c, o]</code>
/// for o &lt; N, t &lt; frames. x points at frame 0 of a buffer whose (K−1)·d earlier rows (stride ldx) are the
/// causal history; e (stride lde) and add (stride ldAdd) may be null; add may be y itself (same stride);
/// y must not overlap x, e or the weights.
/// <para>Kernel: output channels along the vector lanes (the narrowest vector that holds N: 4, 8 or 16 lanes),
/// R frames × 1–2 vectors of accumulators kept in registers across all taps and channels (R = 8 for one
/// vector, 4 for two; wider outputs take vector pairs), each step one weight-row load and one broadcast
/// input per frame; no im2col copy. One frame (block 1) splits the sum over 4 (2) accumulators to hide FMA
/// latency. On NEON (<see cref="AdvSimdIsa"/>) each frame's 4 input channels are one 128-bit load used by
/// element (FMLA Vd.4S, Vn.4S, Vm.S[i]). Agrees with <see cref="TapConvReference"/> within
/// |Δ| ≤ 2·(rows+2)·2^-24·(|add| + |bias| + Σ|x·w|) (tested).</para></summary>
[SkipLocalsInit]
public static unsafe class TapConvF32
{
    /// <summary>Vector width (lanes) the kernel uses for N outputs on <paramref name="path"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lanes(KernelPath path, int n) => path switch
    {
        KernelPath.Avx512 => n <= 4 ? 4 : n <= 8 ? 8 : 16,
        KernelPath.Avx2 => n <= 4 ? 4 : 8,
        KernelPath.Scalar => 1,
        _ => 4,
    };

    /// <summary>Packed row stride for N outputs on <paramref name="path"/>: N rounded up to <see cref="Lanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Stride(KernelPath path, int n)
    {
        int l = Lanes(path, n);
        return (n + l - 1) / l * l;
    }

    /// <summary>On this machine's fp32 path (<see cref="KernelPaths.BestF32"/>), the streaming hot path: only
    /// the packing stride and the extra input are checked.</summary>
    public static void Run(in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        if (frames <= 0) return;
        var path = KernelPaths.BestF32;
        if (c.Ldw != Stride(path, c.N) || c.Extra > 0 && e == null) Check(path, c, e);
        Dispatch(path, c, frames, x, ldx, e, lde, add, ldAdd, y, ldy);
    }

    /// <summary>Same contract on an explicit path; the weights must be packed with <see cref="Stride"/> of that path.</summary>
    public static void Run(KernelPath path, in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        if (frames <= 0) return;
        Check(path, c, e);
        Dispatch(path, c, frames, x, ldx, e, lde, add, ldAdd, y, ldy);
    }

    private static void Check(KernelPath path, in TapConv c, float* e)
    {
        if (c.Ldw != Stride(path, c.N))
            throw new ArgumentException($"tap conv: weights packed with row stride {c.Ldw}, path {KernelPaths.Name(path)} needs {Stride(path, c.N)} for {c.N} outputs");
        if (c.Extra > 0 && e == null) throw new ArgumentException("tap conv: the weights have an extra input but e is null");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"fp32 tap conv path {KernelPaths.Name(path)} is not supported on this machine");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dispatch(KernelPath path, in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        int l = Lanes(path, c.N);
        if (frames == 1)
        {
            // one frame (block-size-1 streaming): a lean entry, the sum split over 4 accumulators
            switch (path)
            {
                case KernelPath.Avx512 when l == 16: Frame<Avx512Isa, Vector512<float>>(c, x, ldx, e, add, y); break;
                case KernelPath.Avx512 or KernelPath.Avx2 when l == 8: Frame<Avx2Isa, Vector256<float>>(c, x, ldx, e, add, y); break;
                case KernelPath.Avx512 or KernelPath.Avx2 or KernelPath.Portable: Frame<PortableIsa, Vector128<float>>(c, x, ldx, e, add, y); break;
                case KernelPath.AdvSimd or KernelPath.AdvSimdDp: FrameNeon<AdvSimdIsa>(c, x, ldx, e, add, y); break;
                case KernelPath.NeonModel or KernelPath.NeonDpModel: FrameNeon<AdvSimdModelIsa>(c, x, ldx, e, add, y); break;
                default: Frame<ScalarIsa, float>(c, x, ldx, e, add, y); break;
            }
            return;
        }
        switch (path)
        {
            case KernelPath.Avx512 when l == 16: Generic<Avx512Isa, Vector512<float>>(c, frames, x, ldx, e, lde, add, ldAdd, y, ldy); break;
            case KernelPath.Avx512 or KernelPath.Avx2 when l == 8: Generic<Avx2Isa, Vector256<float>>(c, frames, x, ldx, e, lde, add, ldAdd, y, ldy); break;
            case KernelPath.Avx512 or KernelPath.Avx2 or KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(c, frames, x, ldx, e, lde, add, ldAdd, y, ldy); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Neon<AdvSimdIsa>(c, frames, x, ldx, e, lde, add, ldAdd, y, ldy); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Neon<AdvSimdModelIsa>(c, frames, x, ldx, e, lde, add, ldAdd, y, ldy); break;
            default: Generic<ScalarIsa, float>(c, frames, x, ldx, e, lde, add, ldAdd, y, ldy); break;
        }
    }

    /// <summary>One frame, every output vector: 4 accumulators per vector over the rows (FMA latency),
    /// the oldest tap first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Frame<TIsa, TV>(in TapConv c, float* x, int ldx, float* e, float* add, float* y)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        float* tmp = stackalloc float[16];
        int L = TIsa.Lanes, ldw = c.Ldw, n = c.N, kernel = c.Kernel, cin = c.Cin, extra = c.Extra;
        long step = (long)c.Dilation * ldx;
        float* x0 = x - (kernel - 1) * step;
        float* w = c.W;
        float* bias = c.HasBias ? w + (long)c.Rows * ldw : null;
        for (int off = 0; off < n; off += L)
        {
            int nv = n - off;
            TV s0 = bias != null ? TIsa.Load(bias + off) : TIsa.Zero;
            if (add != null && nv >= L) s0 = TIsa.Add(s0, TIsa.Load(add + off));
            TV s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
            float* wp = w + off;
            float* p = x0;
            for (int k = 0; k < kernel; k++, p += step)
            {
                int i = 0;
                for (; i <= cin - 4; i += 4, wp += 4 * ldw)
                {
                    s0 = TIsa.Fma(s0, TIsa.Broadcast(p[i]), TIsa.Load(wp));
                    s1 = TIsa.Fma(s1, TIsa.Broadcast(p[i + 1]), TIsa.Load(wp + ldw));
                    s2 = TIsa.Fma(s2, TIsa.Broadcast(p[i + 2]), TIsa.Load(wp + 2 * ldw));
                    s3 = TIsa.Fma(s3, TIsa.Broadcast(p[i + 3]), TIsa.Load(wp + 3 * ldw));
                }
                for (; i < cin; i++, wp += ldw) s0 = TIsa.Fma(s0, TIsa.Broadcast(p[i]), TIsa.Load(wp));
            }
            for (int i = 0; i < extra; i++, wp += ldw) s1 = TIsa.Fma(s1, TIsa.Broadcast(e[i]), TIsa.Load(wp));
            StorePart<TIsa, TV>(y + off, TIsa.Add(TIsa.Add(s0, s1), TIsa.Add(s2, s3)), nv, tmp, add != null ? add + off : null);
        }
    }

    /// <summary>One frame on NEON: per 4 input channels one 128-bit load, its lanes into 4 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FrameNeon<TIsa>(in TapConv c, float* x, int ldx, float* e, float* add, float* y)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        float* tmp = stackalloc float[4];
        int ldw = c.Ldw, n = c.N, kernel = c.Kernel, cin = c.Cin, extra = c.Extra;
        long step = (long)c.Dilation * ldx;
        float* x0 = x - (kernel - 1) * step;
        float* w = c.W;
        float* bias = c.HasBias ? w + (long)c.Rows * ldw : null;
        for (int off = 0; off < n; off += 4)
        {
            int nv = n - off;
            var s0 = bias != null ? TIsa.Load(bias + off) : TIsa.Zero;
            if (add != null && nv >= 4) s0 = TIsa.Add(s0, TIsa.Load(add + off));
            Vector128<float> s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
            float* wp = w + off;
            float* p = x0;
            for (int k = 0; k < kernel; k++, p += step)
            {
                int i = 0;
                for (; i <= cin - 4; i += 4, wp += 4 * ldw)
                {
                    var v = TIsa.Load(p + i);
                    s0 = TIsa.FmlaLane(s0, TIsa.Load(wp), v, 0);
                    s1 = TIsa.FmlaLane(s1, TIsa.Load(wp + ldw), v, 1);
                    s2 = TIsa.FmlaLane(s2, TIsa.Load(wp + 2 * ldw), v, 2);
                    s3 = TIsa.FmlaLane(s3, TIsa.Load(wp + 3 * ldw), v, 3);
                }
                for (; i < cin; i++, wp += ldw) s0 = TIsa.Fma(s0, TIsa.Broadcast(p[i]), TIsa.Load(wp));
            }
            for (int i = 0; i < extra; i++, wp += ldw) s1 = TIsa.Fma(s1, TIsa.Broadcast(e[i]), TIsa.Load(wp));
            StorePart<TIsa, Vector128<float>>(y + off, TIsa.Add(TIsa.Add(s0, s1), TIsa.Add(s2, s3)), nv, tmp, add != null ? add + off : null);
        }
    }

    private interface IRows { static abstract int R { get; } }
    private struct R8 : IRows { public static int R => 8; }
    private struct R4 : IRows { public static int R => 4; }

    /// <summary>Input rows of segment s (s &lt; K: tap s of x; s == K: the extra input) for frame t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Segment(in TapConv c, int s, int t, float* x, int ldx, float* e, int lde, out int ld, out int ch)
    {
        if (s < c.Kernel)
        {
            ld = ldx; ch = c.Cin;
            return x + ((long)t - (long)c.Dilation * (c.Kernel - 1 - s)) * ldx;
        }
        ld = lde; ch = c.Extra;
        return e + (long)t * lde;
    }

    /// <summary>Store a row's vector; a partial one (nv &lt; lanes) goes through tmp, plus its add row when given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePart<TIsa, TV>(float* p, TV v, int nv, float* tmp, float* add = null) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (nv >= TIsa.Lanes) { TIsa.Store(p, v); return; }
        TIsa.Store(tmp, v);
        if (add != null) for (int i = 0; i < nv; i++) p[i] = tmp[i] + add[i];
        else for (int i = 0; i < nv; i++) p[i] = tmp[i];
    }

    /// <summary>Accumulator start for one row and vector: add row + bias. A partial vector (nv &lt; lanes) starts
    /// from the bias only; its add row is summed by <see cref="StorePart"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Init<TIsa, TV>(float* add, int nv, TV bias, bool hasBias, float* tmp) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV a = add != null && nv >= TIsa.Lanes ? TIsa.Load(add) : TIsa.Zero;
        return hasBias ? TIsa.Add(a, bias) : a;
    }

    private static void Generic<TIsa, TV>(in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        float* tmp = stackalloc float[16];
        int L = TIsa.Lanes, V = c.Ldw / L;
        for (int v = 0; v < V; v += 2)
        {
            int off = v * L, nv = c.N - off;
            int t = 0;
            if (v + 1 < V)
            {
                for (; t <= frames - 4; t += 4) Tile2<TIsa, TV>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) Single2<TIsa, TV>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
            }
            else
            {
                for (; t <= frames - 8; t += 8) Tile1<TIsa, TV, R8>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t <= frames - 4; t += 4) Tile1<TIsa, TV, R4>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) Single1<TIsa, TV>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
            }
        }
    }

    /// <summary>R frames × one vector of outputs (lanes off..off+L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<TIsa, TV, TR>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TR : struct, IRows
    {
        int R = TR.R, ldw = c.Ldw;
        TV bias = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        TV a0 = Init<TIsa, TV>(ad, nv, bias, c.HasBias, tmp);
        TV a1 = Init<TIsa, TV>(ad != null ? ad + ldAdd : null, nv, bias, c.HasBias, tmp);
        TV a2 = Init<TIsa, TV>(ad != null ? ad + 2L * ldAdd : null, nv, bias, c.HasBias, tmp);
        TV a3 = Init<TIsa, TV>(ad != null ? ad + 3L * ldAdd : null, nv, bias, c.HasBias, tmp);
        TV a4 = TIsa.Zero, a5 = TIsa.Zero, a6 = TIsa.Zero, a7 = TIsa.Zero;
        if (R > 4)
        {
            a4 = Init<TIsa, TV>(ad != null ? ad + 4L * ldAdd : null, nv, bias, c.HasBias, tmp);
            a5 = Init<TIsa, TV>(ad != null ? ad + 5L * ldAdd : null, nv, bias, c.HasBias, tmp);
            a6 = Init<TIsa, TV>(ad != null ? ad + 6L * ldAdd : null, nv, bias, c.HasBias, tmp);
            a7 = Init<TIsa, TV>(ad != null ? ad + 7L * ldAdd : null, nv, bias, c.HasBias, tmp);
        }
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p0 = Segment(c, s, t, x, ldx, e, lde, out int ld, out int ch);
            float* p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld;
            float* p4 = R > 4 ? p3 + ld : p3, p5 = R > 4 ? p4 + ld : p3, p6 = R > 4 ? p5 + ld : p3, p7 = R > 4 ? p6 + ld : p3;
            for (int i = 0; i < ch; i++, wp += ldw)
            {
                TV w = TIsa.Load(wp);
                a0 = TIsa.Fma(a0, TIsa.Broadcast(p0[i]), w);
                a1 = TIsa.Fma(a1, TIsa.Broadcast(p1[i]), w);
                a2 = TIsa.Fma(a2, TIsa.Broadcast(p2[i]), w);
                a3 = TIsa.Fma(a3, TIsa.Broadcast(p3[i]), w);
                if (R > 4)
                {
                    a4 = TIsa.Fma(a4, TIsa.Broadcast(p4[i]), w);
                    a5 = TIsa.Fma(a5, TIsa.Broadcast(p5[i]), w);
                    a6 = TIsa.Fma(a6, TIsa.Broadcast(p6[i]), w);
                    a7 = TIsa.Fma(a7, TIsa.Broadcast(p7[i]), w);
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, TV>(yt, a0, nv, tmp, ad);
        StorePart<TIsa, TV>(yt + ldy, a1, nv, tmp, ad != null ? ad + ldAdd : null);
        StorePart<TIsa, TV>(yt + 2L * ldy, a2, nv, tmp, ad != null ? ad + 2L * ldAdd : null);
        StorePart<TIsa, TV>(yt + 3L * ldy, a3, nv, tmp, ad != null ? ad + 3L * ldAdd : null);
        if (R > 4)
        {
            StorePart<TIsa, TV>(yt + 4L * ldy, a4, nv, tmp, ad != null ? ad + 4L * ldAdd : null);
            StorePart<TIsa, TV>(yt + 5L * ldy, a5, nv, tmp, ad != null ? ad + 5L * ldAdd : null);
            StorePart<TIsa, TV>(yt + 6L * ldy, a6, nv, tmp, ad != null ? ad + 6L * ldAdd : null);
            StorePart<TIsa, TV>(yt + 7L * ldy, a7, nv, tmp, ad != null ? ad + 7L * ldAdd : null);
        }
    }

    /// <summary>4 frames × two vectors of outputs (lanes off..off+2L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2<TIsa, TV>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, ldw = c.Ldw, nv1 = nv - L;
        TV q0 = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        TV q1 = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off + L) : TIsa.Zero;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        TV a0 = Init<TIsa, TV>(ad, nv, q0, c.HasBias, tmp), b0 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        if (ad != null) ad += ldAdd;
        TV a1 = Init<TIsa, TV>(ad, nv, q0, c.HasBias, tmp), b1 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        if (ad != null) ad += ldAdd;
        TV a2 = Init<TIsa, TV>(ad, nv, q0, c.HasBias, tmp), b2 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        if (ad != null) ad += ldAdd;
        TV a3 = Init<TIsa, TV>(ad, nv, q0, c.HasBias, tmp), b3 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p0 = Segment(c, s, t, x, ldx, e, lde, out int ld, out int ch);
            float* p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld;
            for (int i = 0; i < ch; i++, wp += ldw)
            {
                TV w0 = TIsa.Load(wp), w1 = TIsa.Load(wp + L);
                TV v = TIsa.Broadcast(p0[i]); a0 = TIsa.Fma(a0, v, w0); b0 = TIsa.Fma(b0, v, w1);
                v = TIsa.Broadcast(p1[i]); a1 = TIsa.Fma(a1, v, w0); b1 = TIsa.Fma(b1, v, w1);
                v = TIsa.Broadcast(p2[i]); a2 = TIsa.Fma(a2, v, w0); b2 = TIsa.Fma(b2, v, w1);
                v = TIsa.Broadcast(p3[i]); a3 = TIsa.Fma(a3, v, w0); b3 = TIsa.Fma(b3, v, w1);
            }
        }
        float* yt = y + (long)t * ldy + off, ar = add != null ? add + (long)t * ldAdd + off : null;
        StorePart<TIsa, TV>(yt, a0, nv, tmp); StorePart<TIsa, TV>(yt + L, b0, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd; yt += ldy;
        StorePart<TIsa, TV>(yt, a1, nv, tmp); StorePart<TIsa, TV>(yt + L, b1, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd; yt += ldy;
        StorePart<TIsa, TV>(yt, a2, nv, tmp); StorePart<TIsa, TV>(yt + L, b2, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd; yt += ldy;
        StorePart<TIsa, TV>(yt, a3, nv, tmp); StorePart<TIsa, TV>(yt + L, b3, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd;
    }

    /// <summary>One frame × one vector; the sum over rows is split over 4 accumulators (FMA latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Single1<TIsa, TV>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int ldw = c.Ldw;
        TV bias = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        TV s0 = Init<TIsa, TV>(add != null ? add + (long)t * ldAdd + off : null, nv, bias, c.HasBias, tmp);
        TV s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p = Segment(c, s, t, x, ldx, e, lde, out _, out int ch);
            int i = 0;
            for (; i <= ch - 4; i += 4, wp += 4 * ldw)
            {
                s0 = TIsa.Fma(s0, TIsa.Broadcast(p[i]), TIsa.Load(wp));
                s1 = TIsa.Fma(s1, TIsa.Broadcast(p[i + 1]), TIsa.Load(wp + ldw));
                s2 = TIsa.Fma(s2, TIsa.Broadcast(p[i + 2]), TIsa.Load(wp + 2 * ldw));
                s3 = TIsa.Fma(s3, TIsa.Broadcast(p[i + 3]), TIsa.Load(wp + 3 * ldw));
            }
            for (; i < ch; i++, wp += ldw) s0 = TIsa.Fma(s0, TIsa.Broadcast(p[i]), TIsa.Load(wp));
        }
        StorePart<TIsa, TV>(y + (long)t * ldy + off, TIsa.Add(TIsa.Add(s0, s1), TIsa.Add(s2, s3)), nv, tmp, add != null ? add + (long)t * ldAdd + off : null);
    }

    /// <summary>One frame × two vectors; the sum is split over 2 accumulators per vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Single2<TIsa, TV>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, ldw = c.Ldw, nv1 = nv - L;
        TV q0 = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        TV q1 = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off + L) : TIsa.Zero;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        TV a0 = Init<TIsa, TV>(ad, nv, q0, c.HasBias, tmp), b0 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        TV a1 = TIsa.Zero, b1 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p = Segment(c, s, t, x, ldx, e, lde, out _, out int ch);
            int i = 0;
            for (; i <= ch - 2; i += 2, wp += 2 * ldw)
            {
                TV v = TIsa.Broadcast(p[i]);
                a0 = TIsa.Fma(a0, v, TIsa.Load(wp)); b0 = TIsa.Fma(b0, v, TIsa.Load(wp + L));
                v = TIsa.Broadcast(p[i + 1]);
                a1 = TIsa.Fma(a1, v, TIsa.Load(wp + ldw)); b1 = TIsa.Fma(b1, v, TIsa.Load(wp + ldw + L));
            }
            for (; i < ch; i++, wp += ldw)
            {
                TV v = TIsa.Broadcast(p[i]);
                a0 = TIsa.Fma(a0, v, TIsa.Load(wp)); b0 = TIsa.Fma(b0, v, TIsa.Load(wp + L));
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, TV>(yt, TIsa.Add(a0, a1), nv, tmp);
        StorePart<TIsa, TV>(yt + L, TIsa.Add(b0, b1), nv1, tmp, ad != null ? ad + L : null);
    }

    // ---- NEON: 4 input channels per 128-bit load, FMLA by element ----

    private static void Neon<TIsa>(in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        float* tmp = stackalloc float[16];
        int V = c.Ldw / 4;
        for (int v = 0; v < V; v += 2)
        {
            int off = v * 4, nv = c.N - off;
            int t = 0;
            if (v + 1 < V)
            {
                for (; t <= frames - 4; t += 4) NeonTile2<TIsa>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) Single2<TIsa, Vector128<float>>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
            }
            else
            {
                for (; t <= frames - 8; t += 8) NeonTile1<TIsa, R8>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t <= frames - 4; t += 4) NeonTile1<TIsa, R4>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) NeonSingle1<TIsa>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
            }
        }
    }

    /// <summary>R frames × one vector: per 4 channels, one x load per frame and 4 FMLA by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NeonTile1<TIsa, TR>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>> where TR : struct, IRows
    {
        int R = TR.R, ldw = c.Ldw;
        var bias = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        var a0 = Init<TIsa, Vector128<float>>(ad, nv, bias, c.HasBias, tmp);
        var a1 = Init<TIsa, Vector128<float>>(ad != null ? ad + ldAdd : null, nv, bias, c.HasBias, tmp);
        var a2 = Init<TIsa, Vector128<float>>(ad != null ? ad + 2L * ldAdd : null, nv, bias, c.HasBias, tmp);
        var a3 = Init<TIsa, Vector128<float>>(ad != null ? ad + 3L * ldAdd : null, nv, bias, c.HasBias, tmp);
        Vector128<float> a4 = TIsa.Zero, a5 = TIsa.Zero, a6 = TIsa.Zero, a7 = TIsa.Zero;
        if (R > 4)
        {
            a4 = Init<TIsa, Vector128<float>>(ad != null ? ad + 4L * ldAdd : null, nv, bias, c.HasBias, tmp);
            a5 = Init<TIsa, Vector128<float>>(ad != null ? ad + 5L * ldAdd : null, nv, bias, c.HasBias, tmp);
            a6 = Init<TIsa, Vector128<float>>(ad != null ? ad + 6L * ldAdd : null, nv, bias, c.HasBias, tmp);
            a7 = Init<TIsa, Vector128<float>>(ad != null ? ad + 7L * ldAdd : null, nv, bias, c.HasBias, tmp);
        }
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p0 = Segment(c, s, t, x, ldx, e, lde, out int ld, out int ch);
            float* p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld;
            float* p4 = R > 4 ? p3 + ld : p3, p5 = R > 4 ? p4 + ld : p3, p6 = R > 4 ? p5 + ld : p3, p7 = R > 4 ? p6 + ld : p3;
            int i = 0;
            for (; i <= ch - 4; i += 4, wp += 4 * ldw)
            {
                var w0 = TIsa.Load(wp); var w1 = TIsa.Load(wp + ldw); var w2 = TIsa.Load(wp + 2 * ldw); var w3 = TIsa.Load(wp + 3 * ldw);
                var v = TIsa.Load(p0 + i);
                a0 = TIsa.FmlaLane(a0, w0, v, 0); a0 = TIsa.FmlaLane(a0, w1, v, 1); a0 = TIsa.FmlaLane(a0, w2, v, 2); a0 = TIsa.FmlaLane(a0, w3, v, 3);
                v = TIsa.Load(p1 + i);
                a1 = TIsa.FmlaLane(a1, w0, v, 0); a1 = TIsa.FmlaLane(a1, w1, v, 1); a1 = TIsa.FmlaLane(a1, w2, v, 2); a1 = TIsa.FmlaLane(a1, w3, v, 3);
                v = TIsa.Load(p2 + i);
                a2 = TIsa.FmlaLane(a2, w0, v, 0); a2 = TIsa.FmlaLane(a2, w1, v, 1); a2 = TIsa.FmlaLane(a2, w2, v, 2); a2 = TIsa.FmlaLane(a2, w3, v, 3);
                v = TIsa.Load(p3 + i);
                a3 = TIsa.FmlaLane(a3, w0, v, 0); a3 = TIsa.FmlaLane(a3, w1, v, 1); a3 = TIsa.FmlaLane(a3, w2, v, 2); a3 = TIsa.FmlaLane(a3, w3, v, 3);
                if (R > 4)
                {
                    v = TIsa.Load(p4 + i);
                    a4 = TIsa.FmlaLane(a4, w0, v, 0); a4 = TIsa.FmlaLane(a4, w1, v, 1); a4 = TIsa.FmlaLane(a4, w2, v, 2); a4 = TIsa.FmlaLane(a4, w3, v, 3);
                    v = TIsa.Load(p5 + i);
                    a5 = TIsa.FmlaLane(a5, w0, v, 0); a5 = TIsa.FmlaLane(a5, w1, v, 1); a5 = TIsa.FmlaLane(a5, w2, v, 2); a5 = TIsa.FmlaLane(a5, w3, v, 3);
                    v = TIsa.Load(p6 + i);
                    a6 = TIsa.FmlaLane(a6, w0, v, 0); a6 = TIsa.FmlaLane(a6, w1, v, 1); a6 = TIsa.FmlaLane(a6, w2, v, 2); a6 = TIsa.FmlaLane(a6, w3, v, 3);
                    v = TIsa.Load(p7 + i);
                    a7 = TIsa.FmlaLane(a7, w0, v, 0); a7 = TIsa.FmlaLane(a7, w1, v, 1); a7 = TIsa.FmlaLane(a7, w2, v, 2); a7 = TIsa.FmlaLane(a7, w3, v, 3);
                }
            }
            for (; i < ch; i++, wp += ldw)
            {
                var w = TIsa.Load(wp);
                a0 = TIsa.Fma(a0, TIsa.Broadcast(p0[i]), w);
                a1 = TIsa.Fma(a1, TIsa.Broadcast(p1[i]), w);
                a2 = TIsa.Fma(a2, TIsa.Broadcast(p2[i]), w);
                a3 = TIsa.Fma(a3, TIsa.Broadcast(p3[i]), w);
                if (R > 4)
                {
                    a4 = TIsa.Fma(a4, TIsa.Broadcast(p4[i]), w);
                    a5 = TIsa.Fma(a5, TIsa.Broadcast(p5[i]), w);
                    a6 = TIsa.Fma(a6, TIsa.Broadcast(p6[i]), w);
                    a7 = TIsa.Fma(a7, TIsa.Broadcast(p7[i]), w);
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, Vector128<float>>(yt, a0, nv, tmp, ad);
        StorePart<TIsa, Vector128<float>>(yt + ldy, a1, nv, tmp, ad != null ? ad + ldAdd : null);
        StorePart<TIsa, Vector128<float>>(yt + 2L * ldy, a2, nv, tmp, ad != null ? ad + 2L * ldAdd : null);
        StorePart<TIsa, Vector128<float>>(yt + 3L * ldy, a3, nv, tmp, ad != null ? ad + 3L * ldAdd : null);
        if (R > 4)
        {
            StorePart<TIsa, Vector128<float>>(yt + 4L * ldy, a4, nv, tmp, ad != null ? ad + 4L * ldAdd : null);
            StorePart<TIsa, Vector128<float>>(yt + 5L * ldy, a5, nv, tmp, ad != null ? ad + 5L * ldAdd : null);
            StorePart<TIsa, Vector128<float>>(yt + 6L * ldy, a6, nv, tmp, ad != null ? ad + 6L * ldAdd : null);
            StorePart<TIsa, Vector128<float>>(yt + 7L * ldy, a7, nv, tmp, ad != null ? ad + 7L * ldAdd : null);
        }
    }

    /// <summary>4 frames × two vectors (8 outputs): 8 accumulators + 8 weight + 4 input registers of 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NeonTile2<TIsa>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        const int L = 4;
        int ldw = c.Ldw, nv1 = nv - L;
        var q0 = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        var q1 = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off + L) : TIsa.Zero;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        var a0 = Init<TIsa, Vector128<float>>(ad, nv, q0, c.HasBias, tmp); var b0 = Init<TIsa, Vector128<float>>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        if (ad != null) ad += ldAdd;
        var a1 = Init<TIsa, Vector128<float>>(ad, nv, q0, c.HasBias, tmp); var b1 = Init<TIsa, Vector128<float>>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        if (ad != null) ad += ldAdd;
        var a2 = Init<TIsa, Vector128<float>>(ad, nv, q0, c.HasBias, tmp); var b2 = Init<TIsa, Vector128<float>>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        if (ad != null) ad += ldAdd;
        var a3 = Init<TIsa, Vector128<float>>(ad, nv, q0, c.HasBias, tmp); var b3 = Init<TIsa, Vector128<float>>(ad != null ? ad + L : null, nv1, q1, c.HasBias, tmp);
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p0 = Segment(c, s, t, x, ldx, e, lde, out int ld, out int ch);
            float* p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld;
            int i = 0;
            for (; i <= ch - 4; i += 4, wp += 4 * ldw)
            {
                var x0 = TIsa.Load(p0 + i); var x1 = TIsa.Load(p1 + i); var x2 = TIsa.Load(p2 + i); var x3 = TIsa.Load(p3 + i);
                var w0 = TIsa.Load(wp); var w1 = TIsa.Load(wp + L);
                a0 = TIsa.FmlaLane(a0, w0, x0, 0); b0 = TIsa.FmlaLane(b0, w1, x0, 0); a1 = TIsa.FmlaLane(a1, w0, x1, 0); b1 = TIsa.FmlaLane(b1, w1, x1, 0);
                a2 = TIsa.FmlaLane(a2, w0, x2, 0); b2 = TIsa.FmlaLane(b2, w1, x2, 0); a3 = TIsa.FmlaLane(a3, w0, x3, 0); b3 = TIsa.FmlaLane(b3, w1, x3, 0);
                w0 = TIsa.Load(wp + ldw); w1 = TIsa.Load(wp + ldw + L);
                a0 = TIsa.FmlaLane(a0, w0, x0, 1); b0 = TIsa.FmlaLane(b0, w1, x0, 1); a1 = TIsa.FmlaLane(a1, w0, x1, 1); b1 = TIsa.FmlaLane(b1, w1, x1, 1);
                a2 = TIsa.FmlaLane(a2, w0, x2, 1); b2 = TIsa.FmlaLane(b2, w1, x2, 1); a3 = TIsa.FmlaLane(a3, w0, x3, 1); b3 = TIsa.FmlaLane(b3, w1, x3, 1);
                w0 = TIsa.Load(wp + 2 * ldw); w1 = TIsa.Load(wp + 2 * ldw + L);
                a0 = TIsa.FmlaLane(a0, w0, x0, 2); b0 = TIsa.FmlaLane(b0, w1, x0, 2); a1 = TIsa.FmlaLane(a1, w0, x1, 2); b1 = TIsa.FmlaLane(b1, w1, x1, 2);
                a2 = TIsa.FmlaLane(a2, w0, x2, 2); b2 = TIsa.FmlaLane(b2, w1, x2, 2); a3 = TIsa.FmlaLane(a3, w0, x3, 2); b3 = TIsa.FmlaLane(b3, w1, x3, 2);
                w0 = TIsa.Load(wp + 3 * ldw); w1 = TIsa.Load(wp + 3 * ldw + L);
                a0 = TIsa.FmlaLane(a0, w0, x0, 3); b0 = TIsa.FmlaLane(b0, w1, x0, 3); a1 = TIsa.FmlaLane(a1, w0, x1, 3); b1 = TIsa.FmlaLane(b1, w1, x1, 3);
                a2 = TIsa.FmlaLane(a2, w0, x2, 3); b2 = TIsa.FmlaLane(b2, w1, x2, 3); a3 = TIsa.FmlaLane(a3, w0, x3, 3); b3 = TIsa.FmlaLane(b3, w1, x3, 3);
            }
            for (; i < ch; i++, wp += ldw)
            {
                var w0 = TIsa.Load(wp); var w1 = TIsa.Load(wp + L);
                var v = TIsa.Broadcast(p0[i]); a0 = TIsa.Fma(a0, v, w0); b0 = TIsa.Fma(b0, v, w1);
                v = TIsa.Broadcast(p1[i]); a1 = TIsa.Fma(a1, v, w0); b1 = TIsa.Fma(b1, v, w1);
                v = TIsa.Broadcast(p2[i]); a2 = TIsa.Fma(a2, v, w0); b2 = TIsa.Fma(b2, v, w1);
                v = TIsa.Broadcast(p3[i]); a3 = TIsa.Fma(a3, v, w0); b3 = TIsa.Fma(b3, v, w1);
            }
        }
        float* yt = y + (long)t * ldy + off, ar = add != null ? add + (long)t * ldAdd + off : null;
        StorePart<TIsa, Vector128<float>>(yt, a0, nv, tmp); StorePart<TIsa, Vector128<float>>(yt + L, b0, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd; yt += ldy;
        StorePart<TIsa, Vector128<float>>(yt, a1, nv, tmp); StorePart<TIsa, Vector128<float>>(yt + L, b1, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd; yt += ldy;
        StorePart<TIsa, Vector128<float>>(yt, a2, nv, tmp); StorePart<TIsa, Vector128<float>>(yt + L, b2, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd; yt += ldy;
        StorePart<TIsa, Vector128<float>>(yt, a3, nv, tmp); StorePart<TIsa, Vector128<float>>(yt + L, b3, nv1, tmp, ar != null ? ar + L : null); if (ar != null) ar += ldAdd;
    }

    /// <summary>One frame × one vector: per 4 channels one x load, the 4 lanes into 4 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NeonSingle1<TIsa>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        int ldw = c.Ldw;
        var bias = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + off) : TIsa.Zero;
        var s0 = Init<TIsa, Vector128<float>>(add != null ? add + (long)t * ldAdd + off : null, nv, bias, c.HasBias, tmp);
        Vector128<float> s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p = Segment(c, s, t, x, ldx, e, lde, out _, out int ch);
            int i = 0;
            for (; i <= ch - 4; i += 4, wp += 4 * ldw)
            {
                var v = TIsa.Load(p + i);
                s0 = TIsa.FmlaLane(s0, TIsa.Load(wp), v, 0);
                s1 = TIsa.FmlaLane(s1, TIsa.Load(wp + ldw), v, 1);
                s2 = TIsa.FmlaLane(s2, TIsa.Load(wp + 2 * ldw), v, 2);
                s3 = TIsa.FmlaLane(s3, TIsa.Load(wp + 3 * ldw), v, 3);
            }
            for (; i < ch; i++, wp += ldw) s0 = TIsa.Fma(s0, TIsa.Broadcast(p[i]), TIsa.Load(wp));
        }
        StorePart<TIsa, Vector128<float>>(y + (long)t * ldy + off, TIsa.Add(TIsa.Add(s0, s1), TIsa.Add(s2, s3)), nv, tmp, add != null ? add + (long)t * ldAdd + off : null);
    }
}
