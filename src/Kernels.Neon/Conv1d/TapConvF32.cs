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

/// <summary>A <see cref="TapConvF32"/> call resolved once for a conv, a path and a data layout: the kernel
/// instantiations for one frame and for any number of frames as function pointers, so a streaming op pays no
/// dispatch per call (<see cref="TapConvF32.Resolve"/>, <see cref="TapConvF32.Invoke"/>).</summary>
public readonly unsafe struct TapConvCall
{
    /// <summary>Strides the call was resolved for (AddStride −1: no add input).</summary>
    public readonly record struct Layout(int Ldx, int Ldc, int Lde, int AddStride, int Ldy);

    public readonly Layout For;
    internal readonly delegate*<in TapConv, float*, int, int, float*, float*, float*, void> One;
    internal readonly delegate*<in TapConv, int, float*, int, int, float*, int, float*, int, float*, int, void> Many;

    internal TapConvCall(Layout layout, delegate*<in TapConv, float*, int, int, float*, float*, float*, void> one,
        delegate*<in TapConv, int, float*, int, int, float*, int, float*, int, float*, int, void> many)
    {
        For = layout; One = one; Many = many;
    }

    /// <summary>False for the default value (nothing resolved yet).</summary>
    public bool IsResolved => Many != null;
}

/// <summary>Small-channel causal dilated 1-D convolution for streaming audio (NAM WaveNet layers, their 1×1
/// convs and FiLMs), time-major, with an optional second (1×1) input, bias and residual add in one pass:
/// <code>y[t, o] = add[t, o] + bias[o] + Σ_k Σ_c x[t − d·(K−1−k), c]·W[k·Cin + c, o] + Σ_c e[t, c]·W[K·Cin + c, o]</code>
/// for o &lt; N, t &lt; frames. x points at frame 0 of a buffer whose (K−1)·d earlier rows (stride ldx) are the
/// causal history; e (stride lde) and add (stride ldAdd) may be null; add may be y itself (same stride);
/// y must not overlap x, e or the weights.
/// <para>Kernel: output channels along the vector lanes (the narrowest vector that holds N: 4, 8 or 16 lanes),
/// R frames × 1–2 vectors × 4 partial sums kept in registers across all taps and channels (R = 4 for one
/// vector where there are 32 vector registers, else 2; 2 for two vectors; wider outputs take vector pairs),
/// each step one weight-row load per partial and one broadcast input per frame; no im2col copy. One output
/// (N = 1, packed with row stride 1) takes dot products over the channels instead.</para>
/// <para>Every path sums in the same order, so the result does not depend on how many frames a call has
/// (block-size invariance, bit for bit): partial sum q collects the rows of input channel c ≡ q (mod 4), taps
/// then the extra input, in order; partial 0 starts from add + bias (a vector with fewer than all lanes
/// valid: from bias, add summed at the store); y = (p0 + p1) + (p2 + p3). The 4 partials also hide the FMA
/// latency of a single frame (block 1). On NEON (<see cref="AdvSimdIsa"/>) each frame's 4 input channels
/// are one 128-bit load used by element (FMLA Vd.4S, Vn.4S, Vm.S[q] into partial q). Agrees with
/// <see cref="TapConvReference"/> within |Δ| ≤ 2·(rows+2)·2^-24·(|add| + |bias| + Σ|x·w|) (tested).</para></summary>
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

    /// <summary>Packed row stride for N outputs on <paramref name="path"/>: N rounded up to <see cref="Lanes"/>;
    /// 1 for a single output (the rows are one contiguous weight vector for the dot-product path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Stride(KernelPath path, int n)
    {
        if (n == 1) return 1;
        int l = Lanes(path, n);
        return (n + l - 1) / l * l;
    }

    /// <summary>On this machine's fp32 path (<see cref="KernelPaths.BestF32"/>). A streaming op calls
    /// <see cref="Resolve"/> once and then <see cref="Invoke"/>, which skips this per-call dispatch.</summary>
    public static void Run(in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        => Run(KernelPaths.BestF32, c, frames, x, ldx, 1, e, lde, add, ldAdd, y, ldy);

    /// <summary>As above with x's channels ldc floats apart (ldc = 1: time-major rows; the frame stride ldx = 1
    /// and ldc = the row length read a channel-major block).</summary>
    public static void Run(in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        => Run(KernelPaths.BestF32, c, frames, x, ldx, ldc, e, lde, add, ldAdd, y, ldy);

    /// <summary>Same contract on an explicit path; the weights must be packed with <see cref="Stride"/> of that path.</summary>
    public static void Run(KernelPath path, in TapConv c, int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        => Run(path, c, frames, x, ldx, 1, e, lde, add, ldAdd, y, ldy);

    public static void Run(KernelPath path, in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        if (frames <= 0) return;
        var call = Resolve(path, c, ldx, ldc, lde, add != null, ldAdd, ldy);
        Invoke(call, c, frames, x, ldx, ldc, e, lde, add, ldAdd, y, ldy);
    }

    /// <summary>Run a resolved call (<see cref="Resolve"/>) with the layout it was resolved for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Invoke(in TapConvCall call, in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        if (frames <= 0) return;
        if (c.Extra > 0 && e == null) throw new ArgumentException("tap conv: the weights have an extra input but e is null");
        if (frames == 1 && call.One != null) call.One(c, x, ldx, ldc, e, add, y);
        else call.Many(c, frames, x, ldx, ldc, e, lde, add, ldAdd, y, ldy);
    }

    /// <summary>Pick the kernel instantiations for a conv on <paramref name="path"/> and a data layout (x frame and
    /// channel strides, e and y strides, whether there is an add input and its stride). Checks the packing.</summary>
    public static TapConvCall Resolve(KernelPath path, in TapConv c, int ldx, int ldc, int lde, bool hasAdd, int ldAdd, int ldy)
    {
        if (c.Ldw != Stride(path, c.N))
            throw new ArgumentException($"tap conv: weights packed with row stride {c.Ldw}, path {KernelPaths.Name(path)} needs {Stride(path, c.N)} for {c.N} outputs");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"fp32 tap conv path {KernelPaths.Name(path)} is not supported on this machine");
        var layout = new TapConvCall.Layout(ldx, ldc, lde, hasAdd ? ldAdd : -1, ldy);
        if (c.N == 1 && c.Cin == 1 && ldx == 1 && ldy == 1 && (c.Extra == 0 || c.Extra == 1 && lde == 1) && (!hasAdd || ldAdd == 1))
        {
            // one channel in, one out (a filter on a signal): frames along the lanes
            return new(layout, null, path switch
            {
                KernelPath.Avx512 => &Series<Avx512Isa, Vector512<float>>,
                KernelPath.Avx2 => &Series<Avx2Isa, Vector256<float>>,
                KernelPath.AdvSimd or KernelPath.AdvSimdDp => &Series<AdvSimdIsa, Vector128<float>>,
                KernelPath.NeonModel or KernelPath.NeonDpModel => &Series<AdvSimdModelIsa, Vector128<float>>,
                KernelPath.Portable => &Series<PortableIsa, Vector128<float>>,
                _ => &Series<ScalarIsa, float>,
            });
        }
        if (c.N == 1)
        {
            // one output: dot products over the input channels (the taps as one run when they are adjacent)
            int run = ldc != 1 ? 1 : (nint)c.Dilation * ldx == c.Cin ? c.Kernel * c.Cin : c.Cin;
            return new(layout, null, path switch
            {
                KernelPath.Avx512 when run >= 16 => &Dot<Avx512Isa, Vector512<float>>,
                KernelPath.Avx512 or KernelPath.Avx2 when run >= 8 => &Dot<Avx2Isa, Vector256<float>>,
                KernelPath.Avx512 or KernelPath.Avx2 or KernelPath.Portable => &Dot<PortableIsa, Vector128<float>>,
                KernelPath.AdvSimd or KernelPath.AdvSimdDp => &Dot<AdvSimdIsa, Vector128<float>>,
                KernelPath.NeonModel or KernelPath.NeonDpModel => &Dot<AdvSimdModelIsa, Vector128<float>>,
                _ => &Dot<ScalarIsa, float>,
            });
        }
        return ldc == 1 ? Resolve<Contig>(path, c, layout) : Resolve<Apart>(path, c, layout);
    }

    private static TapConvCall Resolve<TS>(KernelPath path, in TapConv c, TapConvCall.Layout layout) where TS : struct, IStride
    {
        var tiles = ResolveTiles<TS>(path, c, layout);
        if (!TS.Strided && c.Cin % 4 == 0 && c.N <= 4 && path is KernelPath.AdvSimd or KernelPath.AdvSimdDp)
            return new(layout, &FrameOneNeon<AdvSimdIsa>, tiles.Many);
        if (!TS.Strided && c.Cin % 4 == 0 && c.N <= 4 && path is KernelPath.NeonModel or KernelPath.NeonDpModel)
            return new(layout, &FrameOneNeon<AdvSimdModelIsa>, tiles.Many);
        if (!TS.Strided && c.Cin % 4 == 0 && c.N <= Lanes(path, c.N) && path is KernelPath.Avx512 or KernelPath.Avx2 or KernelPath.Portable)
        {
            // one output vector, adjacent channels in groups of 4: the lean one-frame kernel
            return new(layout, Lanes(path, c.N) switch
            {
                16 => &FrameOne<Avx512Isa, Vector512<float>>,
                8 => &FrameOne<Avx2Isa, Vector256<float>>,
                _ => &FrameOne<PortableIsa, Vector128<float>>,
            }, tiles.Many);
        }
        return tiles;
    }

    private static TapConvCall ResolveTiles<TS>(KernelPath path, in TapConv c, TapConvCall.Layout layout) where TS : struct, IStride
    {
        int l = Lanes(path, c.N);
        bool neon = !TS.Strided; // the NEON by-element kernels load 4 adjacent channels
        return path switch
        {
            KernelPath.Avx512 when l == 16 => new(layout, &Frame<Avx512Isa, Vector512<float>, TS>, &Generic<Avx512Isa, Vector512<float>, TS>),
            KernelPath.Avx512 or KernelPath.Avx2 when l == 8 => new(layout, &Frame<Avx2Isa, Vector256<float>, TS>, &Generic<Avx2Isa, Vector256<float>, TS>),
            KernelPath.Avx512 or KernelPath.Avx2 or KernelPath.Portable => new(layout, &Frame<PortableIsa, Vector128<float>, TS>, &Generic<PortableIsa, Vector128<float>, TS>),
            KernelPath.AdvSimd or KernelPath.AdvSimdDp => neon
                ? new(layout, &FrameNeon<AdvSimdIsa>, &Neon<AdvSimdIsa>)
                : new(layout, &Frame<AdvSimdIsa, Vector128<float>, TS>, &Generic<AdvSimdIsa, Vector128<float>, TS>),
            KernelPath.NeonModel or KernelPath.NeonDpModel => neon
                ? new(layout, &FrameNeon<AdvSimdModelIsa>, &Neon<AdvSimdModelIsa>)
                : new(layout, &Frame<AdvSimdModelIsa, Vector128<float>, TS>, &Generic<AdvSimdModelIsa, Vector128<float>, TS>),
            _ => new(layout, &Frame<ScalarIsa, float, TS>, &Generic<ScalarIsa, float, TS>),
        };
    }

    /// <summary>One input and one output channel, all strides 1: y[t] = add[t] + bias + Σ_k w_k·x[t − d(K−1−k)]
    /// (+ w_e·e[t]) with frames along the lanes; the scalar tail does the same operations in the same order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Series<TIsa, TV>(in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, kernel = c.Kernel;
        nint d = c.Dilation;
        float* w = c.W;
        float bias = c.HasBias ? w[c.Rows] : 0f;
        bool extra = c.Extra > 0;
        float* x0 = x - (kernel - 1) * d;
        int t = 0;
        TV vb = TIsa.Broadcast(bias);
        for (; t <= frames - L; t += L)
        {
            TV s = add != null ? TIsa.Add(TIsa.Load(add + t), vb) : vb;
            float* p = x0 + t;
            for (int k = 0; k < kernel; k++, p += d) s = TIsa.Fma(s, TIsa.Load(p), TIsa.Broadcast(w[k]));
            if (extra) s = TIsa.Fma(s, TIsa.Load(e + t), TIsa.Broadcast(w[kernel]));
            TIsa.Store(y + t, s);
        }
        for (; t < frames; t++)
        {
            float s = add != null ? add[t] + bias : bias;
            float* p = x0 + t;
            for (int k = 0; k < kernel; k++, p += d) s = MathF.FusedMultiplyAdd(*p, w[k], s);
            if (extra) s = MathF.FusedMultiplyAdd(e[t], w[kernel], s);
            y[t] = s;
        }
    }

    /// <summary>One output (packed with row stride 1): per frame, dot products of the input rows with the weight
    /// vector over the channels (vectors of the path's width, two accumulators, scalar tail), summed across.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot<TIsa, TV>(in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, kernel = c.Kernel, cin = c.Cin, extra = c.Extra;
        nint step = (nint)c.Dilation * ldx;
        bool adjacent = ldc == 1 && step == cin;
        int run = adjacent ? kernel * cin : cin, runs = adjacent ? 1 : kernel;
        float* w = c.W;
        float bias = c.HasBias ? w[c.Rows] : 0f;
        for (int t = 0; t < frames; t++)
        {
            float* xt = x + ((nint)t - (nint)(kernel - 1) * c.Dilation) * ldx;
            TV a0 = TIsa.Zero, a1 = TIsa.Zero;
            float s = 0f;
            float* wr = w;
            for (int r = 0; r < runs; r++, xt += step, wr += cin)
            {
                if (ldc != 1)
                {
                    // channels apart (channel-major rows): one product per channel
                    for (int j = 0; j < cin; j++) s = MathF.FusedMultiplyAdd(xt[(nint)j * ldc], wr[j], s);
                    continue;
                }
                int i = 0;
                for (; i <= run - 2 * L; i += 2 * L)
                {
                    a0 = TIsa.Fma(a0, TIsa.Load(xt + i), TIsa.Load(wr + i));
                    a1 = TIsa.Fma(a1, TIsa.Load(xt + i + L), TIsa.Load(wr + i + L));
                }
                if (i <= run - L) { a0 = TIsa.Fma(a0, TIsa.Load(xt + i), TIsa.Load(wr + i)); i += L; }
                for (; i < run; i++) s = MathF.FusedMultiplyAdd(xt[i], wr[i], s);
            }
            if (extra > 0)
            {
                float* er = e + (nint)t * lde, we = w + kernel * cin;
                for (int i = 0; i < extra; i++) s = MathF.FusedMultiplyAdd(er[i], we[i], s);
            }
            float v = TIsa.Sum(TIsa.Add(a0, a1)) + s + bias;
            if (add != null) v += add[(nint)t * ldAdd];
            y[(nint)t * ldy] = v;
        }
    }

    private interface IRows { static abstract int R { get; } }
    private struct R4 : IRows { public static int R => 4; }
    private struct R2 : IRows { public static int R => 2; }

    /// <summary>How x's channels are laid out: adjacent (time-major rows, the stride folds to 1) or ldc apart
    /// (channel-major rows); the extra input's channels are always adjacent.</summary>
    private interface IStride { static abstract bool Strided { get; } }
    private struct Contig : IStride { public static bool Strided => false; }
    private struct Apart : IStride { public static bool Strided => true; }

    /// <summary>Input rows of segment s (s &lt; K: tap s of x; s == K: the extra input) for frame t: frame
    /// stride ld, ch channels cs apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Segment<TS>(in TapConv c, int s, int t, float* x, int ldx, int ldc, float* e, int lde, out int ld, out int ch, out nint cs)
        where TS : struct, IStride
    {
        if (s < c.Kernel)
        {
            ld = ldx; ch = c.Cin; cs = TS.Strided ? ldc : 1;
            return x + ((long)t - (long)c.Dilation * (c.Kernel - 1 - s)) * ldx;
        }
        ld = lde; ch = c.Extra; cs = 1;
        return e + (long)t * lde;
    }

    /// <summary>Store a row's vector; a partial one (nv &lt; lanes) goes through tmp, plus its add row when given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePart<TIsa, TV>(float* p, TV v, int nv, float* tmp, float* add) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (nv >= TIsa.Lanes) { TIsa.Store(p, v); return; }
        TIsa.Store(tmp, v);
        if (add != null) for (int i = 0; i < nv; i++) p[i] = tmp[i] + add[i];
        else for (int i = 0; i < nv; i++) p[i] = tmp[i];
    }

    /// <summary>Partial sum 0's start for one row and vector: add row + bias (a partial vector: bias only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Init<TIsa, TV>(float* add, int nv, float* bias) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV a = add != null && nv >= TIsa.Lanes ? TIsa.Load(add) : TIsa.Zero;
        return bias != null ? TIsa.Add(a, TIsa.Load(bias)) : a;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Combine<TIsa, TV>(TV p0, TV p1, TV p2, TV p3) where TIsa : struct, IFloatIsa<TV> where TV : struct
        => TIsa.Add(TIsa.Add(p0, p1), TIsa.Add(p2, p3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* p, long r, int ld) => p != null ? p + r * ld : null;

    private static void Generic<TIsa, TV, TS>(in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TS : struct, IStride
    {
        float* tmp = stackalloc float[16];
        int L = TIsa.Lanes, V = c.Ldw / L;
        for (int v = 0; v < V; v += 2)
        {
            int off = v * L, nv = c.N - off;
            int t = 0;
            if (v + 1 < V)
            {
                for (; t <= frames - 2; t += 2) Tile2<TIsa, TV, TS>(c, t, off, nv, x, ldx, ldc, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) Single2<TIsa, TV, TS>(c, t, off, nv, x, ldx, ldc, e, lde, add, ldAdd, y, ldy, tmp);
            }
            else
            {
                // 4 rows × 4 partials = 16 accumulators where there are 32 vector registers
                if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
                    for (; t <= frames - 4; t += 4) Tile1<TIsa, TV, R4, TS>(c, t, off, nv, x, ldx, ldc, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t <= frames - 2; t += 2) Tile1<TIsa, TV, R2, TS>(c, t, off, nv, x, ldx, ldc, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) Single1<TIsa, TV, TS>(c, t, off, nv, x, ldx, ldc, e, lde, add, ldAdd, y, ldy, tmp);
            }
        }
    }

    /// <summary>R frames × one vector × 4 partials.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1<TIsa, TV, TR, TS>(in TapConv c, int t, int off, int nv, float* x, int ldx, int ldc, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TR : struct, IRows where TS : struct, IStride
    {
        int R = TR.R;
        nint w1 = c.Ldw, w2 = 2 * w1, w3 = 3 * w1, w4 = 4 * w1;
        float* bias = c.HasBias ? c.W + (long)c.Rows * w1 + off : null;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        TV a00 = Init<TIsa, TV>(ad, nv, bias), a01 = TIsa.Zero, a02 = TIsa.Zero, a03 = TIsa.Zero;
        TV a10 = Init<TIsa, TV>(Row(ad, 1, ldAdd), nv, bias), a11 = TIsa.Zero, a12 = TIsa.Zero, a13 = TIsa.Zero;
        TV a20 = TIsa.Zero, a21 = TIsa.Zero, a22 = TIsa.Zero, a23 = TIsa.Zero;
        TV a30 = TIsa.Zero, a31 = TIsa.Zero, a32 = TIsa.Zero, a33 = TIsa.Zero;
        if (R > 2)
        {
            a20 = Init<TIsa, TV>(Row(ad, 2, ldAdd), nv, bias);
            a30 = Init<TIsa, TV>(Row(ad, 3, ldAdd), nv, bias);
        }
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* q0 = Segment<TS>(c, s, t, x, ldx, ldc, e, lde, out int ld, out int ch, out nint cs);
            float* q1 = q0 + ld, q2 = R > 2 ? q1 + ld : q1, q3 = R > 2 ? q2 + ld : q1;
            float* end = q0 + ch * cs;
            for (; q0 + 4 * cs <= end; q0 += 4 * cs, q1 += 4 * cs, q2 += 4 * cs, q3 += 4 * cs, wp += w4)
            {
                TV w0 = TIsa.Load(wp), wv1 = TIsa.Load(wp + w1), wv2 = TIsa.Load(wp + w2), wv3 = TIsa.Load(wp + w3);
                a00 = TIsa.Fma(a00, TIsa.Broadcast(q0[0]), w0); a01 = TIsa.Fma(a01, TIsa.Broadcast(q0[cs]), wv1);
                a02 = TIsa.Fma(a02, TIsa.Broadcast(q0[2 * cs]), wv2); a03 = TIsa.Fma(a03, TIsa.Broadcast(q0[3 * cs]), wv3);
                a10 = TIsa.Fma(a10, TIsa.Broadcast(q1[0]), w0); a11 = TIsa.Fma(a11, TIsa.Broadcast(q1[cs]), wv1);
                a12 = TIsa.Fma(a12, TIsa.Broadcast(q1[2 * cs]), wv2); a13 = TIsa.Fma(a13, TIsa.Broadcast(q1[3 * cs]), wv3);
                if (R > 2)
                {
                    a20 = TIsa.Fma(a20, TIsa.Broadcast(q2[0]), w0); a21 = TIsa.Fma(a21, TIsa.Broadcast(q2[cs]), wv1);
                    a22 = TIsa.Fma(a22, TIsa.Broadcast(q2[2 * cs]), wv2); a23 = TIsa.Fma(a23, TIsa.Broadcast(q2[3 * cs]), wv3);
                    a30 = TIsa.Fma(a30, TIsa.Broadcast(q3[0]), w0); a31 = TIsa.Fma(a31, TIsa.Broadcast(q3[cs]), wv1);
                    a32 = TIsa.Fma(a32, TIsa.Broadcast(q3[2 * cs]), wv2); a33 = TIsa.Fma(a33, TIsa.Broadcast(q3[3 * cs]), wv3);
                }
            }
            // channels past the last group of 4: partials 0, 1, 2 in turn
            if (q0 < end)
            {
                TV w = TIsa.Load(wp); wp += w1;
                a00 = TIsa.Fma(a00, TIsa.Broadcast(q0[0]), w); a10 = TIsa.Fma(a10, TIsa.Broadcast(q1[0]), w);
                if (R > 2) { a20 = TIsa.Fma(a20, TIsa.Broadcast(q2[0]), w); a30 = TIsa.Fma(a30, TIsa.Broadcast(q3[0]), w); }
                if (q0 + cs < end)
                {
                    w = TIsa.Load(wp); wp += w1;
                    a01 = TIsa.Fma(a01, TIsa.Broadcast(q0[cs]), w); a11 = TIsa.Fma(a11, TIsa.Broadcast(q1[cs]), w);
                    if (R > 2) { a21 = TIsa.Fma(a21, TIsa.Broadcast(q2[cs]), w); a31 = TIsa.Fma(a31, TIsa.Broadcast(q3[cs]), w); }
                    if (q0 + 2 * cs < end)
                    {
                        w = TIsa.Load(wp); wp += w1;
                        a02 = TIsa.Fma(a02, TIsa.Broadcast(q0[2 * cs]), w); a12 = TIsa.Fma(a12, TIsa.Broadcast(q1[2 * cs]), w);
                        if (R > 2) { a22 = TIsa.Fma(a22, TIsa.Broadcast(q2[2 * cs]), w); a32 = TIsa.Fma(a32, TIsa.Broadcast(q3[2 * cs]), w); }
                    }
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, TV>(yt, Combine<TIsa, TV>(a00, a01, a02, a03), nv, tmp, ad);
        StorePart<TIsa, TV>(yt + ldy, Combine<TIsa, TV>(a10, a11, a12, a13), nv, tmp, Row(ad, 1, ldAdd));
        if (R > 2)
        {
            StorePart<TIsa, TV>(yt + 2L * ldy, Combine<TIsa, TV>(a20, a21, a22, a23), nv, tmp, Row(ad, 2, ldAdd));
            StorePart<TIsa, TV>(yt + 3L * ldy, Combine<TIsa, TV>(a30, a31, a32, a33), nv, tmp, Row(ad, 3, ldAdd));
        }
    }

    /// <summary>2 frames × two vectors (lanes off..off+2L) × 4 partials: 16 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2<TIsa, TV, TS>(in TapConv c, int t, int off, int nv, float* x, int ldx, int ldc, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TS : struct, IStride
    {
        int L = TIsa.Lanes, nv1 = nv - L;
        nint w1 = c.Ldw;
        float* bias = c.HasBias ? c.W + (long)c.Rows * w1 + off : null;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        float* ad1 = Row(ad, 1, ldAdd);
        TV a00 = Init<TIsa, TV>(ad, nv, bias), a01 = TIsa.Zero, a02 = TIsa.Zero, a03 = TIsa.Zero;
        TV b00 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, bias != null ? bias + L : null), b01 = TIsa.Zero, b02 = TIsa.Zero, b03 = TIsa.Zero;
        TV a10 = Init<TIsa, TV>(ad1, nv, bias), a11 = TIsa.Zero, a12 = TIsa.Zero, a13 = TIsa.Zero;
        TV b10 = Init<TIsa, TV>(ad1 != null ? ad1 + L : null, nv1, bias != null ? bias + L : null), b11 = TIsa.Zero, b12 = TIsa.Zero, b13 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* q0 = Segment<TS>(c, s, t, x, ldx, ldc, e, lde, out int ld, out int ch, out nint cs);
            float* q1 = q0 + ld;
            float* end = q0 + ch * cs;
            for (; q0 + 4 * cs <= end; q0 += 4 * cs, q1 += 4 * cs)
            {
                TV wa = TIsa.Load(wp), wb = TIsa.Load(wp + L); wp += w1;
                TV v0 = TIsa.Broadcast(q0[0]), v1 = TIsa.Broadcast(q1[0]);
                a00 = TIsa.Fma(a00, v0, wa); b00 = TIsa.Fma(b00, v0, wb); a10 = TIsa.Fma(a10, v1, wa); b10 = TIsa.Fma(b10, v1, wb);
                wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                v0 = TIsa.Broadcast(q0[cs]); v1 = TIsa.Broadcast(q1[cs]);
                a01 = TIsa.Fma(a01, v0, wa); b01 = TIsa.Fma(b01, v0, wb); a11 = TIsa.Fma(a11, v1, wa); b11 = TIsa.Fma(b11, v1, wb);
                wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                v0 = TIsa.Broadcast(q0[2 * cs]); v1 = TIsa.Broadcast(q1[2 * cs]);
                a02 = TIsa.Fma(a02, v0, wa); b02 = TIsa.Fma(b02, v0, wb); a12 = TIsa.Fma(a12, v1, wa); b12 = TIsa.Fma(b12, v1, wb);
                wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                v0 = TIsa.Broadcast(q0[3 * cs]); v1 = TIsa.Broadcast(q1[3 * cs]);
                a03 = TIsa.Fma(a03, v0, wa); b03 = TIsa.Fma(b03, v0, wb); a13 = TIsa.Fma(a13, v1, wa); b13 = TIsa.Fma(b13, v1, wb);
            }
            if (q0 < end)
            {
                TV wa = TIsa.Load(wp), wb = TIsa.Load(wp + L); wp += w1;
                TV v0 = TIsa.Broadcast(q0[0]), v1 = TIsa.Broadcast(q1[0]);
                a00 = TIsa.Fma(a00, v0, wa); b00 = TIsa.Fma(b00, v0, wb); a10 = TIsa.Fma(a10, v1, wa); b10 = TIsa.Fma(b10, v1, wb);
                if (q0 + cs < end)
                {
                    wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                    v0 = TIsa.Broadcast(q0[cs]); v1 = TIsa.Broadcast(q1[cs]);
                    a01 = TIsa.Fma(a01, v0, wa); b01 = TIsa.Fma(b01, v0, wb); a11 = TIsa.Fma(a11, v1, wa); b11 = TIsa.Fma(b11, v1, wb);
                    if (q0 + 2 * cs < end)
                    {
                        wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                        v0 = TIsa.Broadcast(q0[2 * cs]); v1 = TIsa.Broadcast(q1[2 * cs]);
                        a02 = TIsa.Fma(a02, v0, wa); b02 = TIsa.Fma(b02, v0, wb); a12 = TIsa.Fma(a12, v1, wa); b12 = TIsa.Fma(b12, v1, wb);
                    }
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, TV>(yt, Combine<TIsa, TV>(a00, a01, a02, a03), nv, tmp, ad);
        StorePart<TIsa, TV>(yt + L, Combine<TIsa, TV>(b00, b01, b02, b03), nv1, tmp, ad != null ? ad + L : null);
        StorePart<TIsa, TV>(yt + ldy, Combine<TIsa, TV>(a10, a11, a12, a13), nv, tmp, ad1);
        StorePart<TIsa, TV>(yt + ldy + L, Combine<TIsa, TV>(b10, b11, b12, b13), nv1, tmp, ad1 != null ? ad1 + L : null);
    }

    /// <summary>One frame × one vector × 4 partials (also the per-vector body of <see cref="Frame"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Vector1<TIsa, TV, TS>(in TapConv c, float* w, float* bias, float* add, int nv, float* x, int ldx, int ldc, float* e)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TS : struct, IStride
    {
        nint w1 = c.Ldw, w2 = 2 * w1, w3 = 3 * w1, w4 = 4 * w1, w5 = 5 * w1, w6 = 6 * w1, w7 = 7 * w1, w8 = 8 * w1;
        nint step = (nint)c.Dilation * ldx;
        TV s0 = Init<TIsa, TV>(add, nv, bias), s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
        float* wp = w;
        float* p = x - (c.Kernel - 1) * step;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel, cin = c.Cin;
        for (int s = 0; s < segments; s++, p += step)
        {
            float* q = p;
            int ch = cin;
            nint cs = TS.Strided ? ldc : 1;
            if (s == c.Kernel) { q = e; ch = c.Extra; cs = 1; }
            float* end = q + ch * cs;
            // 8 channels per step (two groups of 4: the same partials in the same order), then 4, then the tail
            for (; q + 8 * cs <= end; q += 8 * cs, wp += w8)
            {
                s0 = TIsa.Fma(s0, TIsa.Broadcast(q[0]), TIsa.Load(wp));
                s1 = TIsa.Fma(s1, TIsa.Broadcast(q[cs]), TIsa.Load(wp + w1));
                s2 = TIsa.Fma(s2, TIsa.Broadcast(q[2 * cs]), TIsa.Load(wp + w2));
                s3 = TIsa.Fma(s3, TIsa.Broadcast(q[3 * cs]), TIsa.Load(wp + w3));
                s0 = TIsa.Fma(s0, TIsa.Broadcast(q[4 * cs]), TIsa.Load(wp + w4));
                s1 = TIsa.Fma(s1, TIsa.Broadcast(q[5 * cs]), TIsa.Load(wp + w5));
                s2 = TIsa.Fma(s2, TIsa.Broadcast(q[6 * cs]), TIsa.Load(wp + w6));
                s3 = TIsa.Fma(s3, TIsa.Broadcast(q[7 * cs]), TIsa.Load(wp + w7));
            }
            for (; q + 4 * cs <= end; q += 4 * cs, wp += w4)
            {
                s0 = TIsa.Fma(s0, TIsa.Broadcast(q[0]), TIsa.Load(wp));
                s1 = TIsa.Fma(s1, TIsa.Broadcast(q[cs]), TIsa.Load(wp + w1));
                s2 = TIsa.Fma(s2, TIsa.Broadcast(q[2 * cs]), TIsa.Load(wp + w2));
                s3 = TIsa.Fma(s3, TIsa.Broadcast(q[3 * cs]), TIsa.Load(wp + w3));
            }
            if (q < end)
            {
                s0 = TIsa.Fma(s0, TIsa.Broadcast(q[0]), TIsa.Load(wp)); wp += w1;
                if (q + cs < end)
                {
                    s1 = TIsa.Fma(s1, TIsa.Broadcast(q[cs]), TIsa.Load(wp)); wp += w1;
                    if (q + 2 * cs < end) { s2 = TIsa.Fma(s2, TIsa.Broadcast(q[2 * cs]), TIsa.Load(wp)); wp += w1; }
                }
            }
        }
        return Combine<TIsa, TV>(s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Single1<TIsa, TV, TS>(in TapConv c, int t, int off, int nv, float* x, int ldx, int ldc, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TS : struct, IStride
    {
        float* bias = c.HasBias ? c.W + (long)c.Rows * c.Ldw + off : null;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        TV v = Vector1<TIsa, TV, TS>(c, c.W + off, bias, ad, nv, x + (long)t * ldx, ldx, ldc, e != null ? e + (long)t * lde : null);
        StorePart<TIsa, TV>(y + (long)t * ldy + off, v, nv, tmp, ad);
    }

    /// <summary>One frame × two vectors × 4 partials: 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Single2<TIsa, TV, TS>(in TapConv c, int t, int off, int nv, float* x, int ldx, int ldc, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TS : struct, IStride
    {
        int L = TIsa.Lanes, nv1 = nv - L;
        nint w1 = c.Ldw;
        float* bias = c.HasBias ? c.W + (long)c.Rows * w1 + off : null;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        TV a0 = Init<TIsa, TV>(ad, nv, bias), a1 = TIsa.Zero, a2 = TIsa.Zero, a3 = TIsa.Zero;
        TV b0 = Init<TIsa, TV>(ad != null ? ad + L : null, nv1, bias != null ? bias + L : null), b1 = TIsa.Zero, b2 = TIsa.Zero, b3 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* q = Segment<TS>(c, s, t, x, ldx, ldc, e, lde, out _, out int ch, out nint cs);
            float* end = q + ch * cs;
            for (; q + 4 * cs <= end; q += 4 * cs)
            {
                TV v = TIsa.Broadcast(q[0]); a0 = TIsa.Fma(a0, v, TIsa.Load(wp)); b0 = TIsa.Fma(b0, v, TIsa.Load(wp + L)); wp += w1;
                v = TIsa.Broadcast(q[cs]); a1 = TIsa.Fma(a1, v, TIsa.Load(wp)); b1 = TIsa.Fma(b1, v, TIsa.Load(wp + L)); wp += w1;
                v = TIsa.Broadcast(q[2 * cs]); a2 = TIsa.Fma(a2, v, TIsa.Load(wp)); b2 = TIsa.Fma(b2, v, TIsa.Load(wp + L)); wp += w1;
                v = TIsa.Broadcast(q[3 * cs]); a3 = TIsa.Fma(a3, v, TIsa.Load(wp)); b3 = TIsa.Fma(b3, v, TIsa.Load(wp + L)); wp += w1;
            }
            if (q < end)
            {
                TV v = TIsa.Broadcast(q[0]); a0 = TIsa.Fma(a0, v, TIsa.Load(wp)); b0 = TIsa.Fma(b0, v, TIsa.Load(wp + L)); wp += w1;
                if (q + cs < end)
                {
                    v = TIsa.Broadcast(q[cs]); a1 = TIsa.Fma(a1, v, TIsa.Load(wp)); b1 = TIsa.Fma(b1, v, TIsa.Load(wp + L)); wp += w1;
                    if (q + 2 * cs < end) { v = TIsa.Broadcast(q[2 * cs]); a2 = TIsa.Fma(a2, v, TIsa.Load(wp)); b2 = TIsa.Fma(b2, v, TIsa.Load(wp + L)); wp += w1; }
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, TV>(yt, Combine<TIsa, TV>(a0, a1, a2, a3), nv, tmp, ad);
        StorePart<TIsa, TV>(yt + L, Combine<TIsa, TV>(b0, b1, b2, b3), nv1, tmp, ad != null ? ad + L : null);
    }

    /// <summary>One frame, one output vector, adjacent input channels in groups of 4 (x86): the same sums as
    /// <see cref="Vector1{TIsa, TV, TS}"/> with fewer live registers (one moving weight pointer, no 8-wide
    /// block) and no stack buffer unless the vector is partial.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FrameOne<TIsa, TV>(in TapConv c, float* x, int ldx, int ldc, float* e, float* add, float* y)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        nint w1 = c.Ldw;
        int n = c.N, cin = c.Cin, kernel = c.Kernel, extra = c.Extra;
        bool full = n >= TIsa.Lanes;
        float* w = c.W;
        TV s0 = c.HasBias ? TIsa.Load(w + (nint)c.Rows * w1) : TIsa.Zero;
        if (add != null && full) s0 = TIsa.Add(TIsa.Load(add), s0);
        TV s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
        nint step = (nint)c.Dilation * ldx;
        float* p = x - (kernel - 1) * step;
        for (int k = 0; k < kernel; k++, p += step)
        {
            float* q = p, end = p + cin;
            do
            {
                s0 = TIsa.Fma(s0, TIsa.Broadcast(q[0]), TIsa.Load(w));
                s1 = TIsa.Fma(s1, TIsa.Broadcast(q[1]), TIsa.Load(w + w1));
                s2 = TIsa.Fma(s2, TIsa.Broadcast(q[2]), TIsa.Load(w + 2 * w1));
                s3 = TIsa.Fma(s3, TIsa.Broadcast(q[3]), TIsa.Load(w + 3 * w1));
                q += 4; w += 4 * w1;
            } while (q < end);
        }
        int i = 0;
        for (; i <= extra - 4; i += 4, w += 4 * w1)
        {
            s0 = TIsa.Fma(s0, TIsa.Broadcast(e[i]), TIsa.Load(w));
            s1 = TIsa.Fma(s1, TIsa.Broadcast(e[i + 1]), TIsa.Load(w + w1));
            s2 = TIsa.Fma(s2, TIsa.Broadcast(e[i + 2]), TIsa.Load(w + 2 * w1));
            s3 = TIsa.Fma(s3, TIsa.Broadcast(e[i + 3]), TIsa.Load(w + 3 * w1));
        }
        if (i < extra)
        {
            s0 = TIsa.Fma(s0, TIsa.Broadcast(e[i]), TIsa.Load(w));
            if (i + 1 < extra)
            {
                s1 = TIsa.Fma(s1, TIsa.Broadcast(e[i + 1]), TIsa.Load(w + w1));
                if (i + 2 < extra) s2 = TIsa.Fma(s2, TIsa.Broadcast(e[i + 2]), TIsa.Load(w + 2 * w1));
            }
        }
        TV v = Combine<TIsa, TV>(s0, s1, s2, s3);
        if (full) TIsa.Store(y, v);
        else StoreFew<TIsa, TV>(y, v, n, add);
    }

    /// <summary><see cref="FrameOne{TIsa, TV}"/> on NEON: per 4 channels one 128-bit load of x, lane q into partial q
    /// (FMLA by element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FrameOneNeon<TIsa>(in TapConv c, float* x, int ldx, int ldc, float* e, float* add, float* y)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        nint w1 = c.Ldw;
        int n = c.N, cin = c.Cin, kernel = c.Kernel, extra = c.Extra;
        bool full = n >= 4;
        float* w = c.W;
        var s0 = c.HasBias ? TIsa.Load(w + (nint)c.Rows * w1) : TIsa.Zero;
        if (add != null && full) s0 = TIsa.Add(TIsa.Load(add), s0);
        Vector128<float> s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
        nint step = (nint)c.Dilation * ldx;
        float* p = x - (kernel - 1) * step;
        for (int k = 0; k < kernel; k++, p += step)
        {
            float* q = p, end = p + cin;
            do
            {
                var v = TIsa.Load(q);
                s0 = TIsa.FmlaLane(s0, TIsa.Load(w), v, 0);
                s1 = TIsa.FmlaLane(s1, TIsa.Load(w + w1), v, 1);
                s2 = TIsa.FmlaLane(s2, TIsa.Load(w + 2 * w1), v, 2);
                s3 = TIsa.FmlaLane(s3, TIsa.Load(w + 3 * w1), v, 3);
                q += 4; w += 4 * w1;
            } while (q < end);
        }
        int i = 0;
        for (; i <= extra - 4; i += 4, w += 4 * w1)
        {
            var v = TIsa.Load(e + i);
            s0 = TIsa.FmlaLane(s0, TIsa.Load(w), v, 0);
            s1 = TIsa.FmlaLane(s1, TIsa.Load(w + w1), v, 1);
            s2 = TIsa.FmlaLane(s2, TIsa.Load(w + 2 * w1), v, 2);
            s3 = TIsa.FmlaLane(s3, TIsa.Load(w + 3 * w1), v, 3);
        }
        if (i < extra)
        {
            s0 = TIsa.Fma(s0, TIsa.Broadcast(e[i]), TIsa.Load(w));
            if (i + 1 < extra)
            {
                s1 = TIsa.Fma(s1, TIsa.Broadcast(e[i + 1]), TIsa.Load(w + w1));
                if (i + 2 < extra) s2 = TIsa.Fma(s2, TIsa.Broadcast(e[i + 2]), TIsa.Load(w + 2 * w1));
            }
        }
        var r = Combine<TIsa, Vector128<float>>(s0, s1, s2, s3);
        if (full) TIsa.Store(y, r);
        else StoreFew<TIsa, Vector128<float>>(y, r, n, add);
    }

    /// <summary>The first nv lanes of v (+ add) to y, through a stack buffer (kept out of the callers' frames).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreFew<TIsa, TV>(float* y, TV v, int nv, float* add) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        float* tmp = stackalloc float[16];
        StorePart<TIsa, TV>(y, v, nv, tmp, add);
    }

    /// <summary>One frame (block 1), every output vector in turn: the same sums as the tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Frame<TIsa, TV, TS>(in TapConv c, float* x, int ldx, int ldc, float* e, float* add, float* y)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TS : struct, IStride
    {
        float* tmp = stackalloc float[16];
        int L = TIsa.Lanes, n = c.N;
        float* bias = c.HasBias ? c.W + (long)c.Rows * c.Ldw : null;
        for (int off = 0; off < n; off += L)
        {
            float* ad = add != null ? add + off : null;
            TV v = Vector1<TIsa, TV, TS>(c, c.W + off, bias != null ? bias + off : null, ad, n - off, x, ldx, ldc, e);
            StorePart<TIsa, TV>(y + off, v, n - off, tmp, ad);
        }
    }

    // ---- NEON: 4 input channels per 128-bit load, FMLA by element into partial q ----

    private static void Neon<TIsa>(in TapConv c, int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        float* tmp = stackalloc float[4];
        int V = c.Ldw / 4;
        for (int v = 0; v < V; v += 2)
        {
            int off = v * 4, nv = c.N - off;
            int t = 0;
            if (v + 1 < V)
            {
                for (; t <= frames - 2; t += 2) NeonTile2<TIsa>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++) Single2<TIsa, Vector128<float>, Contig>(c, t, off, nv, x, ldx, 1, e, lde, add, ldAdd, y, ldy, tmp);
            }
            else
            {
                for (; t <= frames - 4; t += 4) NeonTile1<TIsa>(c, t, off, nv, x, ldx, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t <= frames - 2; t += 2) Tile1<TIsa, Vector128<float>, R2, Contig>(c, t, off, nv, x, ldx, 1, e, lde, add, ldAdd, y, ldy, tmp);
                for (; t < frames; t++)
                {
                    float* bias = c.HasBias ? c.W + (long)c.Rows * c.Ldw + off : null;
                    float* ad = add != null ? add + (long)t * ldAdd + off : null;
                    var r = NeonVector1<TIsa>(c, c.W + off, bias, ad, nv, x + (long)t * ldx, ldx, e != null ? e + (long)t * lde : null);
                    StorePart<TIsa, Vector128<float>>(y + (long)t * ldy + off, r, nv, tmp, ad);
                }
            }
        }
    }

    /// <summary>4 frames × one vector × 4 partials: per 4 channels one x load per frame, 4 FMLA by element.
    /// 16 accumulators + 4 weight + 4 input registers of 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NeonTile1<TIsa>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        nint w1 = c.Ldw, w2 = 2 * w1, w3 = 3 * w1, w4 = 4 * w1;
        float* bias = c.HasBias ? c.W + (long)c.Rows * w1 + off : null;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        var a00 = Init<TIsa, Vector128<float>>(ad, nv, bias); Vector128<float> a01 = TIsa.Zero, a02 = TIsa.Zero, a03 = TIsa.Zero;
        var a10 = Init<TIsa, Vector128<float>>(Row(ad, 1, ldAdd), nv, bias); Vector128<float> a11 = TIsa.Zero, a12 = TIsa.Zero, a13 = TIsa.Zero;
        var a20 = Init<TIsa, Vector128<float>>(Row(ad, 2, ldAdd), nv, bias); Vector128<float> a21 = TIsa.Zero, a22 = TIsa.Zero, a23 = TIsa.Zero;
        var a30 = Init<TIsa, Vector128<float>>(Row(ad, 3, ldAdd), nv, bias); Vector128<float> a31 = TIsa.Zero, a32 = TIsa.Zero, a33 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* q0 = Segment<Contig>(c, s, t, x, ldx, 1, e, lde, out int ld, out int ch, out _);
            float* q1 = q0 + ld, q2 = q1 + ld, q3 = q2 + ld;
            float* end = q0 + ch;
            for (; q0 + 4 <= end; q0 += 4, q1 += 4, q2 += 4, q3 += 4, wp += w4)
            {
                var w0 = TIsa.Load(wp); var wv1 = TIsa.Load(wp + w1); var wv2 = TIsa.Load(wp + w2); var wv3 = TIsa.Load(wp + w3);
                var v = TIsa.Load(q0);
                a00 = TIsa.FmlaLane(a00, w0, v, 0); a01 = TIsa.FmlaLane(a01, wv1, v, 1); a02 = TIsa.FmlaLane(a02, wv2, v, 2); a03 = TIsa.FmlaLane(a03, wv3, v, 3);
                v = TIsa.Load(q1);
                a10 = TIsa.FmlaLane(a10, w0, v, 0); a11 = TIsa.FmlaLane(a11, wv1, v, 1); a12 = TIsa.FmlaLane(a12, wv2, v, 2); a13 = TIsa.FmlaLane(a13, wv3, v, 3);
                v = TIsa.Load(q2);
                a20 = TIsa.FmlaLane(a20, w0, v, 0); a21 = TIsa.FmlaLane(a21, wv1, v, 1); a22 = TIsa.FmlaLane(a22, wv2, v, 2); a23 = TIsa.FmlaLane(a23, wv3, v, 3);
                v = TIsa.Load(q3);
                a30 = TIsa.FmlaLane(a30, w0, v, 0); a31 = TIsa.FmlaLane(a31, wv1, v, 1); a32 = TIsa.FmlaLane(a32, wv2, v, 2); a33 = TIsa.FmlaLane(a33, wv3, v, 3);
            }
            if (q0 < end)
            {
                var w = TIsa.Load(wp); wp += w1;
                a00 = TIsa.Fma(a00, TIsa.Broadcast(q0[0]), w); a10 = TIsa.Fma(a10, TIsa.Broadcast(q1[0]), w);
                a20 = TIsa.Fma(a20, TIsa.Broadcast(q2[0]), w); a30 = TIsa.Fma(a30, TIsa.Broadcast(q3[0]), w);
                if (q0 + 1 < end)
                {
                    w = TIsa.Load(wp); wp += w1;
                    a01 = TIsa.Fma(a01, TIsa.Broadcast(q0[1]), w); a11 = TIsa.Fma(a11, TIsa.Broadcast(q1[1]), w);
                    a21 = TIsa.Fma(a21, TIsa.Broadcast(q2[1]), w); a31 = TIsa.Fma(a31, TIsa.Broadcast(q3[1]), w);
                    if (q0 + 2 < end)
                    {
                        w = TIsa.Load(wp); wp += w1;
                        a02 = TIsa.Fma(a02, TIsa.Broadcast(q0[2]), w); a12 = TIsa.Fma(a12, TIsa.Broadcast(q1[2]), w);
                        a22 = TIsa.Fma(a22, TIsa.Broadcast(q2[2]), w); a32 = TIsa.Fma(a32, TIsa.Broadcast(q3[2]), w);
                    }
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, Vector128<float>>(yt, Combine<TIsa, Vector128<float>>(a00, a01, a02, a03), nv, tmp, ad);
        StorePart<TIsa, Vector128<float>>(yt + ldy, Combine<TIsa, Vector128<float>>(a10, a11, a12, a13), nv, tmp, Row(ad, 1, ldAdd));
        StorePart<TIsa, Vector128<float>>(yt + 2L * ldy, Combine<TIsa, Vector128<float>>(a20, a21, a22, a23), nv, tmp, Row(ad, 2, ldAdd));
        StorePart<TIsa, Vector128<float>>(yt + 3L * ldy, Combine<TIsa, Vector128<float>>(a30, a31, a32, a33), nv, tmp, Row(ad, 3, ldAdd));
    }

    /// <summary>2 frames × two vectors (8 outputs) × 4 partials: 16 accumulators + 8 weight + 2 input registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NeonTile2<TIsa>(in TapConv c, int t, int off, int nv, float* x, int ldx, float* e, int lde,
        float* add, int ldAdd, float* y, int ldy, float* tmp)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        const int L = 4;
        int nv1 = nv - L;
        nint w1 = c.Ldw, w2 = 2 * w1, w3 = 3 * w1, w4 = 4 * w1;
        float* bias = c.HasBias ? c.W + (long)c.Rows * w1 + off : null;
        float* ad = add != null ? add + (long)t * ldAdd + off : null;
        float* ad1 = Row(ad, 1, ldAdd);
        var a00 = Init<TIsa, Vector128<float>>(ad, nv, bias); Vector128<float> a01 = TIsa.Zero, a02 = TIsa.Zero, a03 = TIsa.Zero;
        var b00 = Init<TIsa, Vector128<float>>(ad != null ? ad + L : null, nv1, bias != null ? bias + L : null); Vector128<float> b01 = TIsa.Zero, b02 = TIsa.Zero, b03 = TIsa.Zero;
        var a10 = Init<TIsa, Vector128<float>>(ad1, nv, bias); Vector128<float> a11 = TIsa.Zero, a12 = TIsa.Zero, a13 = TIsa.Zero;
        var b10 = Init<TIsa, Vector128<float>>(ad1 != null ? ad1 + L : null, nv1, bias != null ? bias + L : null); Vector128<float> b11 = TIsa.Zero, b12 = TIsa.Zero, b13 = TIsa.Zero;
        float* wp = c.W + off;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel;
        for (int s = 0; s < segments; s++)
        {
            float* q0 = Segment<Contig>(c, s, t, x, ldx, 1, e, lde, out int ld, out int ch, out _);
            float* q1 = q0 + ld;
            float* end = q0 + ch;
            for (; q0 + 4 <= end; q0 += 4, q1 += 4, wp += w4)
            {
                var x0 = TIsa.Load(q0); var x1 = TIsa.Load(q1);
                var wa = TIsa.Load(wp); var wb = TIsa.Load(wp + L);
                a00 = TIsa.FmlaLane(a00, wa, x0, 0); b00 = TIsa.FmlaLane(b00, wb, x0, 0); a10 = TIsa.FmlaLane(a10, wa, x1, 0); b10 = TIsa.FmlaLane(b10, wb, x1, 0);
                wa = TIsa.Load(wp + w1); wb = TIsa.Load(wp + w1 + L);
                a01 = TIsa.FmlaLane(a01, wa, x0, 1); b01 = TIsa.FmlaLane(b01, wb, x0, 1); a11 = TIsa.FmlaLane(a11, wa, x1, 1); b11 = TIsa.FmlaLane(b11, wb, x1, 1);
                wa = TIsa.Load(wp + w2); wb = TIsa.Load(wp + w2 + L);
                a02 = TIsa.FmlaLane(a02, wa, x0, 2); b02 = TIsa.FmlaLane(b02, wb, x0, 2); a12 = TIsa.FmlaLane(a12, wa, x1, 2); b12 = TIsa.FmlaLane(b12, wb, x1, 2);
                wa = TIsa.Load(wp + w3); wb = TIsa.Load(wp + w3 + L);
                a03 = TIsa.FmlaLane(a03, wa, x0, 3); b03 = TIsa.FmlaLane(b03, wb, x0, 3); a13 = TIsa.FmlaLane(a13, wa, x1, 3); b13 = TIsa.FmlaLane(b13, wb, x1, 3);
            }
            if (q0 < end)
            {
                var wa = TIsa.Load(wp); var wb = TIsa.Load(wp + L); wp += w1;
                var v0 = TIsa.Broadcast(q0[0]); var v1 = TIsa.Broadcast(q1[0]);
                a00 = TIsa.Fma(a00, v0, wa); b00 = TIsa.Fma(b00, v0, wb); a10 = TIsa.Fma(a10, v1, wa); b10 = TIsa.Fma(b10, v1, wb);
                if (q0 + 1 < end)
                {
                    wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                    v0 = TIsa.Broadcast(q0[1]); v1 = TIsa.Broadcast(q1[1]);
                    a01 = TIsa.Fma(a01, v0, wa); b01 = TIsa.Fma(b01, v0, wb); a11 = TIsa.Fma(a11, v1, wa); b11 = TIsa.Fma(b11, v1, wb);
                    if (q0 + 2 < end)
                    {
                        wa = TIsa.Load(wp); wb = TIsa.Load(wp + L); wp += w1;
                        v0 = TIsa.Broadcast(q0[2]); v1 = TIsa.Broadcast(q1[2]);
                        a02 = TIsa.Fma(a02, v0, wa); b02 = TIsa.Fma(b02, v0, wb); a12 = TIsa.Fma(a12, v1, wa); b12 = TIsa.Fma(b12, v1, wb);
                    }
                }
            }
        }
        float* yt = y + (long)t * ldy + off;
        StorePart<TIsa, Vector128<float>>(yt, Combine<TIsa, Vector128<float>>(a00, a01, a02, a03), nv, tmp, ad);
        StorePart<TIsa, Vector128<float>>(yt + L, Combine<TIsa, Vector128<float>>(b00, b01, b02, b03), nv1, tmp, ad != null ? ad + L : null);
        StorePart<TIsa, Vector128<float>>(yt + ldy, Combine<TIsa, Vector128<float>>(a10, a11, a12, a13), nv, tmp, ad1);
        StorePart<TIsa, Vector128<float>>(yt + ldy + L, Combine<TIsa, Vector128<float>>(b10, b11, b12, b13), nv1, tmp, ad1 != null ? ad1 + L : null);
    }

    /// <summary>One frame × one vector on NEON: per 4 channels one x load, lane q into partial q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> NeonVector1<TIsa>(in TapConv c, float* w, float* bias, float* add, int nv, float* x, int ldx, float* e)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        nint w1 = c.Ldw, w2 = 2 * w1, w3 = 3 * w1, w4 = 4 * w1;
        nint step = (nint)c.Dilation * ldx;
        var s0 = Init<TIsa, Vector128<float>>(add, nv, bias);
        Vector128<float> s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
        float* wp = w;
        float* p = x - (c.Kernel - 1) * step;
        int segments = c.Extra > 0 ? c.Kernel + 1 : c.Kernel, cin = c.Cin;
        for (int s = 0; s < segments; s++, p += step)
        {
            float* q = p;
            int ch = cin;
            if (s == c.Kernel) { q = e; ch = c.Extra; }
            float* end = q + ch;
            for (; q + 4 <= end; q += 4, wp += w4)
            {
                var v = TIsa.Load(q);
                s0 = TIsa.FmlaLane(s0, TIsa.Load(wp), v, 0);
                s1 = TIsa.FmlaLane(s1, TIsa.Load(wp + w1), v, 1);
                s2 = TIsa.FmlaLane(s2, TIsa.Load(wp + w2), v, 2);
                s3 = TIsa.FmlaLane(s3, TIsa.Load(wp + w3), v, 3);
            }
            if (q < end)
            {
                s0 = TIsa.Fma(s0, TIsa.Broadcast(q[0]), TIsa.Load(wp)); wp += w1;
                if (q + 1 < end)
                {
                    s1 = TIsa.Fma(s1, TIsa.Broadcast(q[1]), TIsa.Load(wp)); wp += w1;
                    if (q + 2 < end) { s2 = TIsa.Fma(s2, TIsa.Broadcast(q[2]), TIsa.Load(wp)); wp += w1; }
                }
            }
        }
        return Combine<TIsa, Vector128<float>>(s0, s1, s2, s3);
    }

    /// <summary>One frame on NEON, every output vector in turn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FrameNeon<TIsa>(in TapConv c, float* x, int ldx, int ldc, float* e, float* add, float* y)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        float* tmp = stackalloc float[4];
        int n = c.N;
        float* bias = c.HasBias ? c.W + (long)c.Rows * c.Ldw : null;
        for (int off = 0; off < n; off += 4)
        {
            float* ad = add != null ? add + off : null;
            var v = NeonVector1<TIsa>(c, c.W + off, bias != null ? bias + off : null, ad, n - off, x, ldx, e);
            StorePart<TIsa, Vector128<float>>(y + off, v, n - off, tmp, ad);
        }
    }
}
