using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Conv;

/// <summary>Direct fp32 2-D convolution in NCHW with stride 1 (any dilation), for the desktop/ONNX CNN
/// path: no im2col matrix. The input is first copied once into a zero-padded plane per channel
/// (<see cref="PadInput"/>), so every tap of every output vector is a plain contiguous load.
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

    /// <summary>Row stride (floats) of the padded input: every vector of output columns, rounded up to
    /// the widest path, plus the kernel's reach.</summary>
    public static int PaddedWidth(int outW, int kw, int dw) => checked((outW + MaxLanes - 1) / MaxLanes * MaxLanes + (kw - 1) * dw);

    /// <summary>Rows of the padded input: every output row plus the kernel's reach.</summary>
    public static int PaddedHeight(int outH, int kh, int dh) => checked(outH + (kh - 1) * dh);

    /// <summary>Copy x [cin][ih][iw] into xp [cin][ph][pw] at (padTop, padLeft), zeros around it
    /// (rows/columns of x beyond the padded plane are dropped: they feed no output).</summary>
    public static void PadInput(float* x, int cin, int ih, int iw, int padTop, int padLeft, float* xp, int ph, int pw)
    {
        long plane = (long)ph * pw;
        new Span<float>(xp, checked((int)(plane * cin))).Clear();
        int r0 = Math.Max(0, -padTop), r1 = Math.Min(ih, ph - padTop);
        int c0 = Math.Max(0, -padLeft), c1 = Math.Min(iw, pw - padLeft);
        if (r1 <= r0 || c1 <= c0) return;
        long bytes = (long)(c1 - c0) * sizeof(float);
        for (int c = 0; c < cin; c++)
            for (int r = r0; r < r1; r++)
                Buffer.MemoryCopy(x + ((long)c * ih + r) * iw + c0, xp + c * plane + (long)(r + padTop) * pw + c0 + padLeft, bytes, bytes);
    }

    /// <summary>y [cout][outH][outW] = bias + Σ_{c,i,j} W[m,c,i,j]·xp[c][oh + i·dh][ow + j·dw], with xp from
    /// <see cref="PadInput"/> (at least <see cref="PaddedHeight"/> × <see cref="PaddedWidth"/> per channel,
    /// row stride <paramref name="pw"/>) and weights from <see cref="Pack"/>.</summary>
    public static void Run(int cin, int cout, int kh, int kw, int dh, int dw, float* xp, int ph, int pw,
        float* packed, float* bias, int outH, int outW, float* y)
        => Run(KernelPaths.BestF32, cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y);

    public static void Run(KernelPath path, int cin, int cout, int kh, int kw, int dh, int dw, float* xp, int ph, int pw,
        float* packed, float* bias, int outH, int outW, float* y)
    {
        if (cin <= 0 || cout <= 0 || kh <= 0 || kw <= 0 || dh <= 0 || dw <= 0 || outH < 0 || outW < 0)
            throw new ArgumentOutOfRangeException(nameof(cin), "conv2d direct: sizes must be positive");
        if (ph < PaddedHeight(outH, kh, dh) || pw < PaddedWidth(outW, kw, dw))
            throw new ArgumentOutOfRangeException(nameof(pw), $"conv2d direct: padded input {ph}x{pw} is smaller than {PaddedHeight(outH, kh, dh)}x{PaddedWidth(outW, kw, dw)}");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"conv2d path {KernelPaths.Name(path)} is not supported on this machine");
        if (outH == 0 || outW == 0) return;
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Generic<AdvSimdIsa, Vector128<float>>(cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Generic<AdvSimdModelIsa, Vector128<float>>(cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
            default: Generic<ScalarIsa, float>(cin, cout, kh, kw, dh, dw, xp, ph, pw, packed, bias, outH, outW, y); break;
        }
    }

    private static void Generic<TIsa, TV>(int cin, int cout, int kh, int kw, int dh, int dw, float* xp, int ph, int pw,
        float* packed, float* bias, int outH, int outW, float* y) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
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
                float* x0 = xp + (long)oh0 * pw + ow0;
                float* x1 = xp + (long)oh1 * pw + ow1;
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
                            TV b0 = TIsa.Load(r0 + j * dw), b1 = TIsa.Load(r1 + j * dw);
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

    /// <summary>Store the first <paramref name="n"/> lanes of <paramref name="v"/> at <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TIsa, TV>(float* dst, TV v, int n, float* tmp) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (n == TIsa.Lanes) { TIsa.Store(dst, v); return; }
        TIsa.Store(tmp, v);
        for (int i = 0; i < n; i++) dst[i] = tmp[i];
    }
}
