using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Conv1d;

/// <summary>Causal dilated 1-D convolution on channel-major blocks with the frames along the vector lanes (the
/// layout NAM core computes in): the counterpart of <see cref="TapConvF32"/> for blocks of many frames, on the
/// same packed weights (<see cref="TapConvPacking"/>, any row stride ≥ N):
/// <code>y[o][t] = add[o][t] + bias[o] + Σ_k Σ_c W[k·Cin + c, o]·x[c][t − d·(K−1−k)] + Σ_c W[K·Cin + c, o]·e[c][t]</code>
/// with x[c][t] at x + c·ldc + t (the (K−1)·d earlier columns of each row are the causal history), e[c][t] at
/// e + c·lde + t, add[o][t] at add + o·ldAdd + t (optional; may be y itself with the same stride), y[o][t] at
/// y + o·ldy + t.
/// <para>Whole vectors: columns up to frames rounded up to <see cref="Lanes"/> are read from x and e and
/// written to y (the caller pads its rows); each column is computed on its own, so the result does not
/// depend on the frames per call.</para>
/// <para>Kernel: 4 output channels × up to 4 time vectors of accumulators (16; 2 time vectors where there
/// are only 16 vector registers); per weight row 1 load per time vector and 1 broadcast per output channel
/// (on NEON one 128-bit load of 4 weights used by element), i.e. 8 loads per 16 FMAs — the broadcast-bound
/// outputs-along-lanes kernel needs 20. Each sum runs in row order from add + bias, one rounding per FMA;
/// agrees with <see cref="TapConvReference"/> within |Δ| ≤ 2·(rows+2)·2^-24·(|add| + |bias| + Σ|x·w|) (tested).</para></summary>
[SkipLocalsInit]
public static unsafe class TimeConvF32
{
    /// <summary>Frames per vector on <paramref name="path"/>: the caller's rows must hold frames rounded up to this.</summary>
    public static int Lanes(KernelPath path) => path switch
    {
        KernelPath.Avx512 => 16,
        KernelPath.Avx2 => 8,
        KernelPath.Scalar => 1,
        _ => 4,
    };

    public static void Run(in TapConv c, int frames, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        => Run(KernelPaths.BestF32, c, frames, x, ldc, e, lde, add, ldAdd, y, ldy);

    public static void Run(KernelPath path, in TapConv c, int frames, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        if (frames <= 0) return;
        if (c.Extra > 0 && e == null) throw new ArgumentException("time conv: the weights have an extra input but e is null");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"fp32 time conv path {KernelPaths.Name(path)} is not supported on this machine");
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp:
                if (c.Ldw % 4 == 0) Neon<AdvSimdIsa>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy);
                else Generic<AdvSimdIsa, Vector128<float>>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy);
                break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel:
                if (c.Ldw % 4 == 0) Neon<AdvSimdModelIsa>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy);
                else Generic<AdvSimdModelIsa, Vector128<float>>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy);
                break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy); break;
            default: Generic<ScalarIsa, float>(c, frames, x, ldc, e, lde, add, ldAdd, y, ldy); break;
        }
    }

    private interface ICount { static abstract int N { get; } }
    private struct C4 : ICount { public static int N => 4; }
    private struct C2 : ICount { public static int N => 2; }
    private struct C1 : ICount { public static int N => 1; }

    private static void Generic<TIsa, TV>(in TapConv c, int frames, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, vectors = (frames + L - 1) / L, n = c.N;
        // 4 outputs × 4 time vectors = 16 accumulators where there are 32 vector registers, else × 2
        bool wide = Avx512F.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        for (int v = 0; v < vectors;)
        {
            int left = vectors - v, t = v * L;
            int o = 0;
            if (left >= 4 && wide)
            {
                for (; o + 4 <= n; o += 4) Tile<TIsa, TV, C4, C4>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                for (; o < n; o++) Tile<TIsa, TV, C1, C4>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                v += 4;
            }
            else if (left >= 2)
            {
                for (; o + 4 <= n; o += 4) Tile<TIsa, TV, C4, C2>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                for (; o < n; o++) Tile<TIsa, TV, C1, C2>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                v += 2;
            }
            else
            {
                for (; o + 4 <= n; o += 4) Tile<TIsa, TV, C4, C1>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                for (; o < n; o++) Tile<TIsa, TV, C1, C1>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                v += 1;
            }
        }
    }

    /// <summary>M output channels (o..o+M) × R time vectors (columns t..t+R·L).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TIsa, TV, TM, TR>(in TapConv c, int o, int t, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TM : struct, ICount where TR : struct, ICount
    {
        int M = TM.N, R = TR.N, L = TIsa.Lanes;
        nint ldw = c.Ldw;
        float* bias = c.W + (long)c.Rows * ldw + o;
        TV b0 = c.HasBias ? TIsa.Broadcast(bias[0]) : TIsa.Zero;
        TV b1 = c.HasBias && M > 1 ? TIsa.Broadcast(bias[1]) : TIsa.Zero;
        TV b2 = c.HasBias && M > 2 ? TIsa.Broadcast(bias[2]) : TIsa.Zero;
        TV b3 = c.HasBias && M > 3 ? TIsa.Broadcast(bias[3]) : TIsa.Zero;
        TV a00 = b0, a01 = b0, a02 = b0, a03 = b0;
        TV a10 = b1, a11 = b1, a12 = b1, a13 = b1;
        TV a20 = b2, a21 = b2, a22 = b2, a23 = b2;
        TV a30 = b3, a31 = b3, a32 = b3, a33 = b3;
        if (add != null)
        {
            float* p0 = add + (long)o * ldAdd + t;
            Start<TIsa, TV, TR>(p0, ref a00, ref a01, ref a02, ref a03);
            if (M > 1)
            {
                Start<TIsa, TV, TR>(p0 + ldAdd, ref a10, ref a11, ref a12, ref a13);
                Start<TIsa, TV, TR>(p0 + 2L * ldAdd, ref a20, ref a21, ref a22, ref a23);
                Start<TIsa, TV, TR>(p0 + 3L * ldAdd, ref a30, ref a31, ref a32, ref a33);
            }
        }
        float* wp = c.W + o;
        int kernel = c.Kernel, segments = c.Extra > 0 ? kernel + 1 : kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p;
            nint cs;
            int ch;
            if (s < kernel) { p = x + t - (nint)c.Dilation * (kernel - 1 - s); cs = ldc; ch = c.Cin; }
            else { p = e + t; cs = lde; ch = c.Extra; }
            for (int i = 0; i < ch; i++, p += cs, wp += ldw)
            {
                TV x0 = TIsa.Load(p);
                TV x1 = R > 1 ? TIsa.Load(p + L) : x0;
                TV x2 = R > 2 ? TIsa.Load(p + 2 * L) : x0;
                TV x3 = R > 3 ? TIsa.Load(p + 3 * L) : x0;
                TV w = TIsa.Broadcast(wp[0]);
                a00 = TIsa.Fma(a00, x0, w);
                if (R > 1) a01 = TIsa.Fma(a01, x1, w);
                if (R > 2) { a02 = TIsa.Fma(a02, x2, w); a03 = TIsa.Fma(a03, x3, w); }
                if (M > 1)
                {
                    w = TIsa.Broadcast(wp[1]);
                    a10 = TIsa.Fma(a10, x0, w);
                    if (R > 1) a11 = TIsa.Fma(a11, x1, w);
                    if (R > 2) { a12 = TIsa.Fma(a12, x2, w); a13 = TIsa.Fma(a13, x3, w); }
                    w = TIsa.Broadcast(wp[2]);
                    a20 = TIsa.Fma(a20, x0, w);
                    if (R > 1) a21 = TIsa.Fma(a21, x1, w);
                    if (R > 2) { a22 = TIsa.Fma(a22, x2, w); a23 = TIsa.Fma(a23, x3, w); }
                    w = TIsa.Broadcast(wp[3]);
                    a30 = TIsa.Fma(a30, x0, w);
                    if (R > 1) a31 = TIsa.Fma(a31, x1, w);
                    if (R > 2) { a32 = TIsa.Fma(a32, x2, w); a33 = TIsa.Fma(a33, x3, w); }
                }
            }
        }
        Store<TIsa, TV, TR>(y + (long)o * ldy + t, a00, a01, a02, a03);
        if (M > 1)
        {
            Store<TIsa, TV, TR>(y + (long)(o + 1) * ldy + t, a10, a11, a12, a13);
            Store<TIsa, TV, TR>(y + (long)(o + 2) * ldy + t, a20, a21, a22, a23);
            Store<TIsa, TV, TR>(y + (long)(o + 3) * ldy + t, a30, a31, a32, a33);
        }
    }

    /// <summary>Accumulators = add row + bias (the bias is already in them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Start<TIsa, TV, TR>(float* p, ref TV v0, ref TV v1, ref TV v2, ref TV v3)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TR : struct, ICount
    {
        int L = TIsa.Lanes;
        v0 = TIsa.Add(TIsa.Load(p), v0);
        if (TR.N > 1) v1 = TIsa.Add(TIsa.Load(p + L), v1);
        if (TR.N > 2) { v2 = TIsa.Add(TIsa.Load(p + 2 * L), v2); v3 = TIsa.Add(TIsa.Load(p + 3 * L), v3); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TIsa, TV, TR>(float* p, TV v0, TV v1, TV v2, TV v3)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TR : struct, ICount
    {
        int L = TIsa.Lanes;
        TIsa.Store(p, v0);
        if (TR.N > 1) TIsa.Store(p + L, v1);
        if (TR.N > 2) { TIsa.Store(p + 2 * L, v2); TIsa.Store(p + 3 * L, v3); }
    }

    // ---- NEON: the 4 output channels' weights are one 128-bit load, used by element ----

    private static void Neon<TIsa>(in TapConv c, int frames, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>>
    {
        int vectors = (frames + 3) / 4, n = c.N;
        for (int v = 0; v < vectors;)
        {
            int left = vectors - v, t = v * 4;
            int o = 0;
            if (left >= 4)
            {
                for (; o + 4 <= n; o += 4) NeonTile<TIsa, C4>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                for (; o < n; o++) Tile<TIsa, Vector128<float>, C1, C4>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                v += 4;
            }
            else if (left >= 2)
            {
                for (; o + 4 <= n; o += 4) NeonTile<TIsa, C2>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                for (; o < n; o++) Tile<TIsa, Vector128<float>, C1, C2>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                v += 2;
            }
            else
            {
                for (; o + 4 <= n; o += 4) NeonTile<TIsa, C1>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                for (; o < n; o++) Tile<TIsa, Vector128<float>, C1, C1>(c, o, t, x, ldc, e, lde, add, ldAdd, y, ldy);
                v += 1;
            }
        }
    }

    /// <summary>4 output channels × R time vectors: 16 accumulators + 4 inputs + 1 weight vector of 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NeonTile<TIsa, TR>(in TapConv c, int o, int t, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        where TIsa : struct, IIsa, IFloatIsa<Vector128<float>> where TR : struct, ICount
    {
        const int L = 4;
        int R = TR.N;
        nint ldw = c.Ldw;
        var bv = c.HasBias ? TIsa.Load(c.W + (long)c.Rows * ldw + o) : TIsa.Zero;
        var b0 = Vector128.Create(bv.GetElement(0)); var b1 = Vector128.Create(bv.GetElement(1));
        var b2 = Vector128.Create(bv.GetElement(2)); var b3 = Vector128.Create(bv.GetElement(3));
        Vector128<float> a00 = b0, a01 = b0, a02 = b0, a03 = b0, a10 = b1, a11 = b1, a12 = b1, a13 = b1;
        Vector128<float> a20 = b2, a21 = b2, a22 = b2, a23 = b2, a30 = b3, a31 = b3, a32 = b3, a33 = b3;
        if (add != null)
        {
            float* p0 = add + (long)o * ldAdd + t;
            Start<TIsa, Vector128<float>, TR>(p0, ref a00, ref a01, ref a02, ref a03);
            Start<TIsa, Vector128<float>, TR>(p0 + ldAdd, ref a10, ref a11, ref a12, ref a13);
            Start<TIsa, Vector128<float>, TR>(p0 + 2L * ldAdd, ref a20, ref a21, ref a22, ref a23);
            Start<TIsa, Vector128<float>, TR>(p0 + 3L * ldAdd, ref a30, ref a31, ref a32, ref a33);
        }
        float* wp = c.W + o;
        int kernel = c.Kernel, segments = c.Extra > 0 ? kernel + 1 : kernel;
        for (int s = 0; s < segments; s++)
        {
            float* p;
            nint cs;
            int ch;
            if (s < kernel) { p = x + t - (nint)c.Dilation * (kernel - 1 - s); cs = ldc; ch = c.Cin; }
            else { p = e + t; cs = lde; ch = c.Extra; }
            for (int i = 0; i < ch; i++, p += cs, wp += ldw)
            {
                var w = TIsa.Load(wp);
                var x0 = TIsa.Load(p);
                a00 = TIsa.FmlaLane(a00, x0, w, 0); a10 = TIsa.FmlaLane(a10, x0, w, 1); a20 = TIsa.FmlaLane(a20, x0, w, 2); a30 = TIsa.FmlaLane(a30, x0, w, 3);
                if (R > 1)
                {
                    var x1 = TIsa.Load(p + L);
                    a01 = TIsa.FmlaLane(a01, x1, w, 0); a11 = TIsa.FmlaLane(a11, x1, w, 1); a21 = TIsa.FmlaLane(a21, x1, w, 2); a31 = TIsa.FmlaLane(a31, x1, w, 3);
                }
                if (R > 2)
                {
                    var x2 = TIsa.Load(p + 2 * L); var x3 = TIsa.Load(p + 3 * L);
                    a02 = TIsa.FmlaLane(a02, x2, w, 0); a12 = TIsa.FmlaLane(a12, x2, w, 1); a22 = TIsa.FmlaLane(a22, x2, w, 2); a32 = TIsa.FmlaLane(a32, x2, w, 3);
                    a03 = TIsa.FmlaLane(a03, x3, w, 0); a13 = TIsa.FmlaLane(a13, x3, w, 1); a23 = TIsa.FmlaLane(a23, x3, w, 2); a33 = TIsa.FmlaLane(a33, x3, w, 3);
                }
            }
        }
        Store<TIsa, Vector128<float>, TR>(y + (long)o * ldy + t, a00, a01, a02, a03);
        Store<TIsa, Vector128<float>, TR>(y + (long)(o + 1) * ldy + t, a10, a11, a12, a13);
        Store<TIsa, Vector128<float>, TR>(y + (long)(o + 2) * ldy + t, a20, a21, a22, a23);
        Store<TIsa, Vector128<float>, TR>(y + (long)(o + 3) * ldy + t, a30, a31, a32, a33);
    }
}
