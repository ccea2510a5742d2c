using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Conv;

/// <summary>Direct fp32 2-D convolution in NCHW (any stride and dilation), for the ONNX CNN path: no
/// im2col matrix. The input is first copied once into a zero-padded plane per channel
/// (<see cref="PadInput"/>); with a column stride s each padded row is stored as s column phases
/// (phase q holds columns q, q+s, q+2s...), so output column ow, tap j reads phase (j·dw) mod s at
/// ow + (j·dw) div s: every tap of every output vector is a plain contiguous load, whatever the stride.
/// <para>Micro-kernel: <see cref="MR"/> output channels × two vectors of output positions (each vector
/// is <c>Lanes</c> consecutive columns of one output row; the two vectors may come from two rows, so a
/// 16-wide output row still fills a 2×16 tile on AVX-512). For each input channel and tap, two input
/// vectors are loaded and each is FMA'd with <see cref="MR"/> broadcast weights into 12 accumulators.
/// Weights are packed once per session (<see cref="Pack"/>) as [cout/MR][cin][kh][kw][MR] (zero padded),
/// so a tap's MR weights are adjacent. Written once over <see cref="IFloatIsa{TV}"/>; checked against
/// <see cref="Conv2dReference"/>: |Δ| ≤ 2·(taps+2)·2^-24·(Σ|x·w| + |bias|).</para></summary>
[SkipLocalsInit]
public static unsafe class Conv2dDirectF32
{
    /// <summary>Output channels per micro-kernel tile.</summary>
    public const int MR = 6;
    /// <summary>Widest vector of any path: padded rows are sized for it so one padding serves every path.</summary>
    private const int MaxLanes = 16;
    /// <summary>Widest kernel (columns) the direct kernel takes; wider ones belong to im2col + GEMM.</summary>
    public const int MaxKernelWidth = 64;

    /// <summary>Floats of <see cref="Pack"/>'s output.</summary>
    public static int PackedLength(int cout, int cin, int kh, int kw) => checked((cout + MR - 1) / MR * MR * cin * kh * kw);

    /// <summary>W [cout][cin][kh][kw] (ONNX OIHW, one group) → [cout/MR][cin][kh][kw][MR], missing rows zero.</summary>
    public static void Pack(ReadOnlySpan<float> w, int cout, int cin, int kh, int kw, Span<float> packed)
    {
        int taps = kh * kw;
        if (w.Length < cout * cin * taps || packed.Length < PackedLength(cout, cin, kh, kw))
            throw new ArgumentException("conv2d direct pack: buffer too small");
        packed[..PackedLength(cout, cin, kh, kw)].Clear();
        for (int m = 0; m < cout; m++)
        {
            int tile = m / MR, r = m % MR;
            for (int c = 0; c < cin; c++)
                for (int t = 0; t < taps; t++)
                    packed[((tile * cin + c) * taps + t) * MR + r] = w[(m * cin + c) * taps + t];
        }
    }

    /// <summary>Floats of one column phase of a padded row: every vector of output columns, rounded up
    /// to the widest path, plus the kernel's reach within the phase.</summary>
    public static int PhaseWidth(int outW, int kw, int dw, int sw = 1) => checked((outW + MaxLanes - 1) / MaxLanes * MaxLanes + (kw - 1) * dw / sw);

    /// <summary>Row stride (floats) of the padded input: <paramref name="sw"/> phases of <see cref="PhaseWidth"/>.</summary>
    public static int PaddedWidth(int outW, int kw, int dw, int sw = 1) => checked(sw * PhaseWidth(outW, kw, dw, sw));

    /// <summary>Rows of the padded input: every output row's first input row plus the kernel's reach.</summary>
    public static int PaddedHeight(int outH, int kh, int dh, int sh = 1) => checked((outH - 1) * sh + (kh - 1) * dh + 1);

    /// <summary>Copy x [cin][ih][iw] into xp [cin][ph][pw] at (padTop, padLeft), zeros around it, each row
    /// split into <paramref name="sw"/> column phases of pw/sw floats (padded column q goes to phase q mod sw,
    /// position q div sw). Rows and columns of x beyond the padded plane are dropped: they feed no output.</summary>
    public static void PadInput(float* x, int cin, int ih, int iw, int padTop, int padLeft, float* xp, int ph, int pw, int sw = 1)
    {
        if (sw < 1 || pw % sw != 0) throw new ArgumentOutOfRangeException(nameof(sw), "conv2d direct: the padded width must be whole phases");
        long plane = (long)ph * pw;
        int r0 = Math.Max(0, -padTop), r1 = Math.Min(ih, ph - padTop);
        int c0 = Math.Max(0, -padLeft), c1 = Math.Min(iw, pw - padLeft);
        if (r1 <= r0 || c1 <= c0)
        {
            new Span<float>(xp, checked((int)(plane * cin))).Clear();
            return;
        }
        int top = r0 + padTop, bottom = r1 + padTop; // padded rows [top, bottom) hold input rows
        int phase = pw / sw;
        for (int c = 0; c < cin; c++)
        {
            float* pc = xp + c * plane;
            // Only the border is cleared: rows above and below the input, and each input row's margins.
            new Span<float>(pc, top * pw).Clear();
            new Span<float>(pc + (long)bottom * pw, (ph - bottom) * pw).Clear();
            for (int r = r0; r < r1; r++)
            {
                float* src = x + ((long)c * ih + r) * iw;
                float* dst = pc + (long)(r + padTop) * pw;
                if (sw == 1)
                {
                    new Span<float>(dst, c0 + padLeft).Clear();
                    new ReadOnlySpan<float>(src + c0, c1 - c0).CopyTo(new Span<float>(dst + c0 + padLeft, c1 - c0));
                    new Span<float>(dst + c1 + padLeft, pw - c1 - padLeft).Clear();
                    continue;
                }
                new Span<float>(dst, pw).Clear();
                if (sw == 2)
                {
                    SplitPairs(src + c0, c1 - c0, dst, phase, c0 + padLeft);
                    continue;
                }
                for (int ph0 = 0; ph0 < sw; ph0++)
                {
                    // Columns whose padded position is ≡ ph0 (mod sw), in order: a strided gather.
                    int first = c0 + ((ph0 - (c0 + padLeft)) % sw + sw) % sw;
                    float* d = dst + ph0 * phase + (first + padLeft) / sw;
                    int col = first;
                    for (; col + 3 * sw < c1; col += 4 * sw, d += 4)
                    {
                        d[0] = src[col]; d[1] = src[col + sw]; d[2] = src[col + 2 * sw]; d[3] = src[col + 3 * sw];
                    }
                    for (; col < c1; col += sw) *d++ = src[col];
                }
            }
        }
    }

    /// <summary>Padded columns q = q0, q0+1, ... (values src[0..n)) into two phases: q even → dst[q/2],
    /// q odd → dst[phase + q/2]. Four pairs at a time with two 128-bit shuffles (portable: SHUFPS/UZP).</summary>
    private static void SplitPairs(float* src, int n, float* dst, int phase, int q0)
    {
        int i = 0;
        if ((q0 & 1) != 0 && n > 0) { dst[phase + q0 / 2] = src[0]; i = 1; }
        // From here q0 + i is even: src[i + 2k] is even column (q0 + i)/2 + k, src[i + 2k + 1] the odd one.
        float* ev = dst + (q0 + i) / 2, od = dst + phase + (q0 + i) / 2;
        if (Vector128.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8, ev += 4, od += 4)
            {
                var a = Vector128.Shuffle(Vector128.Load(src + i), Vector128.Create(0, 2, 1, 3));     // a0 a2 a1 a3
                var b = Vector128.Shuffle(Vector128.Load(src + i + 4), Vector128.Create(0, 2, 1, 3)); // b0 b2 b1 b3
                Vector128.Create(a.AsDouble().GetElement(0), b.AsDouble().GetElement(0)).AsSingle().Store(ev);
                Vector128.Create(a.AsDouble().GetElement(1), b.AsDouble().GetElement(1)).AsSingle().Store(od);
            }
        for (; i + 1 < n; i += 2) { *ev++ = src[i]; *od++ = src[i + 1]; }
        if (i < n) *ev = src[i];
    }

    /// <summary>y [cout][outH][outW] = bias + Σ_{c,i,j} W[m,c,i,j]·padded[c][oh·sh + i·dh][ow·sw + j·dw], with xp
    /// from <see cref="PadInput"/> (the same <paramref name="sw"/>; at least <see cref="PaddedHeight"/> ×
    /// <see cref="PaddedWidth"/> per channel, row stride <paramref name="pw"/>) and weights from <see cref="Pack"/>.</summary>
    public static void Run(int cin, int cout, int kh, int kw, int sh, int sw, int dh, int dw, float* xp, int ph, int pw,
        float* packed, float* bias, int outH, int outW, float* y)
        => Run(KernelPaths.BestF32, cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y);

    /// <summary><see cref="Depthwise(KernelPath, int, int, int, int, int, int, int, float*, int, int, float*, float*, int, int, float*)"/> on the best path.</summary>
    public static void Depthwise(int channels, int kh, int kw, int sh, int sw, int dh, int dw, float* xp, int ph, int pw,
        float* w, float* bias, int outH, int outW, float* y)
        => Depthwise(KernelPaths.BestF32, channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y);

    public static void Run(KernelPath path, int cin, int cout, int kh, int kw, int sh, int sw, int dh, int dw, float* xp, int ph, int pw,
        float* packed, float* bias, int outH, int outW, float* y)
    {
        if (!Validate(path, cin, cout, kh, kw, sh, sw, dh, dw, ph, pw, outH, outW)) return;
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Generic<AdvSimdIsa, Vector128<float>>(cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Generic<AdvSimdModelIsa, Vector128<float>>(cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            default: Generic<ScalarIsa, float>(cin, cout, kh, kw, sh, sw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
        }
    }

    /// <summary>Argument checks shared by both forms; false when there is nothing to compute.</summary>
    private static bool Validate(KernelPath path, int cin, int cout, int kh, int kw, int sh, int sw, int dh, int dw, int ph, int pw, int outH, int outW)
    {
        if (cin <= 0 || cout <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || outH < 0 || outW < 0)
            throw new ArgumentOutOfRangeException(nameof(cin), "conv2d direct: sizes must be positive");
        if (kw > MaxKernelWidth) throw new ArgumentOutOfRangeException(nameof(kw), $"conv2d direct: kernel width {kw} is over {MaxKernelWidth}");
        if (outH == 0 || outW == 0) return false;
        if (ph < PaddedHeight(outH, kh, dh, sh) || pw < PaddedWidth(outW, kw, dw, sw) || pw % sw != 0)
            throw new ArgumentOutOfRangeException(nameof(pw), $"conv2d direct: padded input {ph}x{pw} is smaller than {PaddedHeight(outH, kh, dh, sh)}x{PaddedWidth(outW, kw, dw, sw)} (or not whole phases)");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"conv2d path {KernelPaths.Name(path)} is not supported on this machine");
        return true;
    }

    /// <summary>Offset of tap j inside a padded row: its column phase, then its place in the phase.</summary>
    private static void TapOffsets(int* dst, int kw, int dw, int sw, int pw)
    {
        int phase = pw / sw;
        for (int j = 0; j < kw; j++) dst[j] = j * dw % sw * phase + j * dw / sw;
    }

    private static void Generic<TIsa, TV>(int cin, int cout, int kh, int kw, int sh, int sw, int dh, int dw, float* xp, int ph, int pw,
        float* packed, float* bias, int outH, int outW, float* y) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int* tapOff = stackalloc int[kw];
        TapOffsets(tapOff, kw, dw, sw, pw);
        int L = TIsa.Lanes;
        int perRow = (outW + L - 1) / L;
        int vectors = outH * perRow;
        long plane = (long)ph * pw, outPlane = (long)outH * outW;
        int taps = kh * kw;
        long tileFloats = (long)cin * taps * MR;
        float* tmp = stackalloc float[MaxLanes];
        float* bz = stackalloc float[MR];
        for (int m0 = 0; m0 < cout; m0 += MR)
        {
            int mr = Math.Min(MR, cout - m0);
            for (int r = 0; r < MR; r++) bz[r] = bias != null && r < mr ? bias[m0 + r] : 0f;
            float* wt = packed + m0 / MR * tileFloats;
            for (int v = 0; v < vectors; v += 2)
            {
                int oh0 = v / perRow, ow0 = v % perRow * L;
                int v1 = v + 1 < vectors ? v + 1 : v;
                int oh1 = v1 / perRow, ow1 = v1 % perRow * L;
                float* x0 = xp + (long)oh0 * sh * pw + ow0;
                float* x1 = xp + (long)oh1 * sh * pw + ow1;
                TV a00 = TIsa.Broadcast(bz[0]), a10 = TIsa.Broadcast(bz[1]), a20 = TIsa.Broadcast(bz[2]),
                   a30 = TIsa.Broadcast(bz[3]), a40 = TIsa.Broadcast(bz[4]), a50 = TIsa.Broadcast(bz[5]);
                TV a01 = a00, a11 = a10, a21 = a20, a31 = a30, a41 = a40, a51 = a50;
                float* wp = wt;
                for (int c = 0; c < cin; c++)
                {
                    float* c0 = x0 + c * plane, c1 = x1 + c * plane;
                    for (int i = 0; i < kh; i++)
                    {
                        float* r0 = c0 + (long)i * dh * pw, r1 = c1 + (long)i * dh * pw;
                        for (int j = 0; j < kw; j++, wp += MR)
                        {
                            TV b0 = TIsa.Load(r0 + tapOff[j]), b1 = TIsa.Load(r1 + tapOff[j]);
                            TV w = TIsa.Broadcast(wp[0]); a00 = TIsa.Fma(a00, w, b0); a01 = TIsa.Fma(a01, w, b1);
                            w = TIsa.Broadcast(wp[1]); a10 = TIsa.Fma(a10, w, b0); a11 = TIsa.Fma(a11, w, b1);
                            w = TIsa.Broadcast(wp[2]); a20 = TIsa.Fma(a20, w, b0); a21 = TIsa.Fma(a21, w, b1);
                            w = TIsa.Broadcast(wp[3]); a30 = TIsa.Fma(a30, w, b0); a31 = TIsa.Fma(a31, w, b1);
                            w = TIsa.Broadcast(wp[4]); a40 = TIsa.Fma(a40, w, b0); a41 = TIsa.Fma(a41, w, b1);
                            w = TIsa.Broadcast(wp[5]); a50 = TIsa.Fma(a50, w, b0); a51 = TIsa.Fma(a51, w, b1);
                        }
                    }
                }
                int n0 = Math.Min(L, outW - ow0), n1 = Math.Min(L, outW - ow1);
                float* y0 = y + (long)m0 * outPlane + (long)oh0 * outW + ow0;
                float* y1 = y + (long)m0 * outPlane + (long)oh1 * outW + ow1;
                bool second = v1 != v;
                Put<TIsa, TV>(y0, a00, n0, tmp); if (second) Put<TIsa, TV>(y1, a01, n1, tmp);
                if (mr > 1) { Put<TIsa, TV>(y0 + outPlane, a10, n0, tmp); if (second) Put<TIsa, TV>(y1 + outPlane, a11, n1, tmp); }
                if (mr > 2) { Put<TIsa, TV>(y0 + 2 * outPlane, a20, n0, tmp); if (second) Put<TIsa, TV>(y1 + 2 * outPlane, a21, n1, tmp); }
                if (mr > 3) { Put<TIsa, TV>(y0 + 3 * outPlane, a30, n0, tmp); if (second) Put<TIsa, TV>(y1 + 3 * outPlane, a31, n1, tmp); }
                if (mr > 4) { Put<TIsa, TV>(y0 + 4 * outPlane, a40, n0, tmp); if (second) Put<TIsa, TV>(y1 + 4 * outPlane, a41, n1, tmp); }
                if (mr > 5) { Put<TIsa, TV>(y0 + 5 * outPlane, a50, n0, tmp); if (second) Put<TIsa, TV>(y1 + 5 * outPlane, a51, n1, tmp); }
            }
        }
    }

    /// <summary>Depthwise form (one input and one output channel per group): y[c] = bias[c] + Σ_{i,j}
    /// w[c,i,j]·padded[c][oh·sh + i·dh][ow·sw + j·dw] for <paramref name="channels"/> channels, weights in
    /// ONNX order [c][kh][kw] (no packing), xp from <see cref="PadInput"/> over all channels. Tile: one
    /// channel × four vectors of output positions.</summary>
    public static void Depthwise(KernelPath path, int channels, int kh, int kw, int sh, int sw, int dh, int dw, float* xp, int ph, int pw,
        float* w, float* bias, int outH, int outW, float* y)
    {
        if (!Validate(path, channels, channels, kh, kw, sh, sw, dh, dw, ph, pw, outH, outW)) return;
        switch (path)
        {
            case KernelPath.Avx512: DepthwiseGeneric<Avx512Isa, Vector512<float>>(channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y); break;
            case KernelPath.Avx2: DepthwiseGeneric<Avx2Isa, Vector256<float>>(channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: DepthwiseGeneric<AdvSimdIsa, Vector128<float>>(channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: DepthwiseGeneric<AdvSimdModelIsa, Vector128<float>>(channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y); break;
            case KernelPath.Portable: DepthwiseGeneric<PortableIsa, Vector128<float>>(channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y); break;
            default: DepthwiseGeneric<ScalarIsa, float>(channels, kh, kw, sh, sw, dh, dw, xp, ph, pw, w, bias, outH, outW, y); break;
        }
    }

    private static void DepthwiseGeneric<TIsa, TV>(int channels, int kh, int kw, int sh, int sw, int dh, int dw, float* xp, int ph, int pw,
        float* w, float* bias, int outH, int outW, float* y) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int* tapOff = stackalloc int[kw];
        TapOffsets(tapOff, kw, dw, sw, pw);
        int L = TIsa.Lanes;
        int perRow = (outW + L - 1) / L;
        int vectors = outH * perRow;
        long plane = (long)ph * pw, outPlane = (long)outH * outW;
        float* tmp = stackalloc float[MaxLanes];
        int* row = stackalloc int[4];
        int* col = stackalloc int[4];
        for (int c = 0; c < channels; c++)
        {
            float* xc = xp + c * plane, wc = w + (long)c * kh * kw, yc = y + c * outPlane;
            TV b = TIsa.Broadcast(bias != null ? bias[c] : 0f);
            for (int v = 0; v < vectors; v += 4)
            {
                int n = Math.Min(4, vectors - v);
                for (int q = 0; q < 4; q++)
                {
                    int vq = v + Math.Min(q, n - 1);
                    row[q] = vq / perRow; col[q] = vq % perRow * L;
                }
                float* x0 = xc + (long)row[0] * sh * pw + col[0], x1 = xc + (long)row[1] * sh * pw + col[1];
                float* x2 = xc + (long)row[2] * sh * pw + col[2], x3 = xc + (long)row[3] * sh * pw + col[3];
                TV a0 = b, a1 = b, a2 = b, a3 = b;
                float* wp = wc;
                for (int i = 0; i < kh; i++)
                {
                    long ro = (long)i * dh * pw;
                    for (int j = 0; j < kw; j++)
                    {
                        TV wv = TIsa.Broadcast(*wp++);
                        long o = ro + tapOff[j];
                        a0 = TIsa.Fma(a0, wv, TIsa.Load(x0 + o)); a1 = TIsa.Fma(a1, wv, TIsa.Load(x1 + o));
                        a2 = TIsa.Fma(a2, wv, TIsa.Load(x2 + o)); a3 = TIsa.Fma(a3, wv, TIsa.Load(x3 + o));
                    }
                }
                Put<TIsa, TV>(yc + (long)row[0] * outW + col[0], a0, Math.Min(L, outW - col[0]), tmp);
                if (n > 1) Put<TIsa, TV>(yc + (long)row[1] * outW + col[1], a1, Math.Min(L, outW - col[1]), tmp);
                if (n > 2) Put<TIsa, TV>(yc + (long)row[2] * outW + col[2], a2, Math.Min(L, outW - col[2]), tmp);
                if (n > 3) Put<TIsa, TV>(yc + (long)row[3] * outW + col[3], a3, Math.Min(L, outW - col[3]), tmp);
            }
        }
    }

    /// <summary>Store the first <paramref name="n"/> lanes of <paramref name="v"/> at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TIsa, TV>(float* dst, TV v, int n, float* tmp) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (n == TIsa.Lanes) { TIsa.Store(dst, v); return; }
        TIsa.Store(tmp, v);
        for (int i = 0; i < n; i++) dst[i] = tmp[i];
    }
}
