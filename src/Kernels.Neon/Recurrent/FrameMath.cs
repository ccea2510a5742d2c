using System.Runtime.CompilerServices;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>Row-vector × packed-panel products for the per-frame kernels. A panel is <c>n</c> rows of
/// <c>Lanes</c> floats (one output vector's column block, contiguous), so a product streams the panel once and
/// broadcasts x[k]. Per lane the arithmetic is the same sequence of fused multiply-adds whatever the vector
/// width, so every path gives bit-identical results.</summary>
/// <summary>A compile-time group size for <see cref="FrameMath.GroupProducts"/> (the JIT folds the unused accumulators).</summary>
internal interface IGroupSize { static abstract int Size { get; } }
internal readonly struct Group3 : IGroupSize { public static int Size => 3; }
internal readonly struct Group4 : IGroupSize { public static int Size => 4; }
internal readonly struct Group6 : IGroupSize { public static int Size => 6; }
internal readonly struct Group8 : IGroupSize { public static int Size => 8; }

internal static unsafe class FrameMath
{
    /// <summary>init + Σ_{k&lt;n} x[k]·panel[k] with four independent accumulators (k mod 4), combined as
    /// (a0 + a1) + (a2 + a3): a dependency chain of n/4 FMAs instead of n, which is what bounds a recurrent
    /// step at one frame per call. Fewer than four rows: one chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Dot4<TIsa, TV>(TV init, float* panel, float* x, int n) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (n < 4) return Dot1<TIsa, TV>(init, panel, x, n);
        TV a1 = TIsa.Zero, a2 = TIsa.Zero, a3 = TIsa.Zero;
        Chains<TIsa, TV>(ref init, ref a1, ref a2, ref a3, panel, x, n);
        return TIsa.Add(TIsa.Add(init, a1), TIsa.Add(a2, a3));
    }

    /// <summary>As <see cref="Dot4"/> over several row blocks of n rows each (a causal conv's taps): block j reads
    /// x + j·xStride and rows j·n.. of the panel; the four chains run on across blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Dot4Taps<TIsa, TV>(TV init, float* panel, float* x, int n, int taps, long xStride) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        long tapFloats = (long)n * TIsa.Lanes;
        if (n < 4)
        {
            // Few inputs per tap (a 1-channel first layer): the four chains run across taps instead.
            if (taps < 4)
            {
                for (int j = 0; j < taps; j++) init = Dot1<TIsa, TV>(init, panel + j * tapFloats, x + j * xStride, n);
                return init;
            }
            TV c1 = TIsa.Zero, c2 = TIsa.Zero, c3 = TIsa.Zero;
            int t = 0;
            for (; t <= taps - 4; t += 4)
            {
                init = Dot1<TIsa, TV>(init, panel + t * tapFloats, x + t * xStride, n);
                c1 = Dot1<TIsa, TV>(c1, panel + (t + 1) * tapFloats, x + (t + 1) * xStride, n);
                c2 = Dot1<TIsa, TV>(c2, panel + (t + 2) * tapFloats, x + (t + 2) * xStride, n);
                c3 = Dot1<TIsa, TV>(c3, panel + (t + 3) * tapFloats, x + (t + 3) * xStride, n);
            }
            for (; t < taps; t++) init = Dot1<TIsa, TV>(init, panel + t * tapFloats, x + t * xStride, n);
            return TIsa.Add(TIsa.Add(init, c1), TIsa.Add(c2, c3));
        }
        TV a1 = TIsa.Zero, a2 = TIsa.Zero, a3 = TIsa.Zero;
        for (int j = 0; j < taps; j++) Chains<TIsa, TV>(ref init, ref a1, ref a2, ref a3, panel + (long)j * n * TIsa.Lanes, x + j * xStride, n);
        return TIsa.Add(TIsa.Add(init, a1), TIsa.Add(a2, a3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Chains<TIsa, TV>(ref TV a0, ref TV a1, ref TV a2, ref TV a3, float* panel, float* x, int n) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        float* end4 = x + (n & ~3), end = x + n;
        for (; x < end4; x += 4, panel += 4 * L)
        {
            a0 = TIsa.Fma(a0, TIsa.Load(panel), TIsa.Broadcast(x[0]));
            a1 = TIsa.Fma(a1, TIsa.Load(panel + L), TIsa.Broadcast(x[1]));
            a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), TIsa.Broadcast(x[2]));
            a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), TIsa.Broadcast(x[3]));
        }
        for (; x < end; x++, panel += L) a0 = TIsa.Fma(a0, TIsa.Load(panel), TIsa.Broadcast(*x));
    }

    /// <summary>init + Σ_{k&lt;n} x[k]·panel[k], one accumulator (input projections: off the critical path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Dot1<TIsa, TV>(TV init, float* panel, float* x, int n) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        for (int k = 0; k < n; k++, panel += L) init = TIsa.Fma(init, TIsa.Load(panel), TIsa.Broadcast(x[k]));
        return init;
    }

    /// <summary>The gate pre-activations of a group of G output vectors (the gates of one or two hidden vectors):
    /// pre[g] = bias[g] + Σ_{i&lt;nx} x[i]·W[i][g] + Σ_{k&lt;nh} h[k]·R[k][g] for g &lt; G, from a panel laid out as one bias
    /// row, nx x-rows and nh h-rows, each row G·Lanes floats. Each broadcast x[i] / h[k] feeds all G FMAs (a
    /// one-product-at-a-time loop is bound by its broadcasts); even and odd k go to two accumulators per output,
    /// combined at the end, so the dependency chain over h is nh/2 FMAs. Up to 16 accumulators: G = 6 or 8 only on
    /// 32-register targets. (Results go through memory: passing the accumulators out by reference would keep the
    /// JIT from holding them in registers.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GroupProducts<TIsa, TV, TG>(float* panel, float* x, int nx, float* h, int nh, float* pre)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TG : struct, IGroupSize
    {
        int L = TIsa.Lanes, G = TG.Size, row = G * L;
        TV z = TIsa.Zero;
        TV a0 = TIsa.Load(panel), a1 = G > 1 ? TIsa.Load(panel + L) : z, a2 = G > 2 ? TIsa.Load(panel + 2 * L) : z, a3 = G > 3 ? TIsa.Load(panel + 3 * L) : z;
        TV a4 = G > 4 ? TIsa.Load(panel + 4 * L) : z, a5 = G > 5 ? TIsa.Load(panel + 5 * L) : z, a6 = G > 6 ? TIsa.Load(panel + 6 * L) : z, a7 = G > 7 ? TIsa.Load(panel + 7 * L) : z;
        panel += row;
        for (float* xe = x + nx; x < xe; x++, panel += row)
        {
            TV xb = TIsa.Broadcast(x[0]);
            a0 = TIsa.Fma(a0, TIsa.Load(panel), xb);
            if (G > 1) a1 = TIsa.Fma(a1, TIsa.Load(panel + 1 * L), xb);
            if (G > 2) a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), xb);
            if (G > 3) a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), xb);
            if (G > 4) a4 = TIsa.Fma(a4, TIsa.Load(panel + 4 * L), xb);
            if (G > 5) a5 = TIsa.Fma(a5, TIsa.Load(panel + 5 * L), xb);
            if (G > 6) a6 = TIsa.Fma(a6, TIsa.Load(panel + 6 * L), xb);
            if (G > 7) a7 = TIsa.Fma(a7, TIsa.Load(panel + 7 * L), xb);
        }
        TV b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        for (float* end2 = h + (nh & ~1); h < end2; h += 2, panel += 2 * row)
        {
            TV xb = TIsa.Broadcast(h[0]);
            a0 = TIsa.Fma(a0, TIsa.Load(panel), xb);
            if (G > 1) a1 = TIsa.Fma(a1, TIsa.Load(panel + 1 * L), xb);
            if (G > 2) a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), xb);
            if (G > 3) a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), xb);
            if (G > 4) a4 = TIsa.Fma(a4, TIsa.Load(panel + 4 * L), xb);
            if (G > 5) a5 = TIsa.Fma(a5, TIsa.Load(panel + 5 * L), xb);
            if (G > 6) a6 = TIsa.Fma(a6, TIsa.Load(panel + 6 * L), xb);
            if (G > 7) a7 = TIsa.Fma(a7, TIsa.Load(panel + 7 * L), xb);
            float* q = panel + row;
            xb = TIsa.Broadcast(h[1]);
            b0 = TIsa.Fma(b0, TIsa.Load(q), xb);
            if (G > 1) b1 = TIsa.Fma(b1, TIsa.Load(q + 1 * L), xb);
            if (G > 2) b2 = TIsa.Fma(b2, TIsa.Load(q + 2 * L), xb);
            if (G > 3) b3 = TIsa.Fma(b3, TIsa.Load(q + 3 * L), xb);
            if (G > 4) b4 = TIsa.Fma(b4, TIsa.Load(q + 4 * L), xb);
            if (G > 5) b5 = TIsa.Fma(b5, TIsa.Load(q + 5 * L), xb);
            if (G > 6) b6 = TIsa.Fma(b6, TIsa.Load(q + 6 * L), xb);
            if (G > 7) b7 = TIsa.Fma(b7, TIsa.Load(q + 7 * L), xb);
        }
        if ((nh & 1) != 0)
        {
            TV xb = TIsa.Broadcast(h[0]);
            a0 = TIsa.Fma(a0, TIsa.Load(panel), xb);
            if (G > 1) a1 = TIsa.Fma(a1, TIsa.Load(panel + 1 * L), xb);
            if (G > 2) a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), xb);
            if (G > 3) a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), xb);
            if (G > 4) a4 = TIsa.Fma(a4, TIsa.Load(panel + 4 * L), xb);
            if (G > 5) a5 = TIsa.Fma(a5, TIsa.Load(panel + 5 * L), xb);
            if (G > 6) a6 = TIsa.Fma(a6, TIsa.Load(panel + 6 * L), xb);
            if (G > 7) a7 = TIsa.Fma(a7, TIsa.Load(panel + 7 * L), xb);
        }
        TIsa.Store(pre, TIsa.Add(a0, b0));
        if (G > 1) TIsa.Store(pre + L, TIsa.Add(a1, b1));
        if (G > 2) TIsa.Store(pre + 2 * L, TIsa.Add(a2, b2));
        if (G > 3) TIsa.Store(pre + 3 * L, TIsa.Add(a3, b3));
        if (G > 4) TIsa.Store(pre + 4 * L, TIsa.Add(a4, b4));
        if (G > 5) TIsa.Store(pre + 5 * L, TIsa.Add(a5, b5));
        if (G > 6) TIsa.Store(pre + 6 * L, TIsa.Add(a6, b6));
        if (G > 7) TIsa.Store(pre + 7 * L, TIsa.Add(a7, b7));
    }

    /// <summary>Every product group of a cell step: hidden vectors v0, v0 + vpg, ... each group's
    /// <typeparamref name="TG"/>.Size·Lanes pre-activations (gates slots per vector) written at pre + v0·gates·Lanes.
    /// Two-vector groups use <typeparamref name="TPair"/>, a last single vector <typeparamref name="TG"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AllGroups<TIsa, TV, TG, TPair>(float* panels, float* x, int nx, float* h, int nh, int vectors, int vpg, float* pre)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TG : struct, IGroupSize where TPair : struct, IGroupSize
    {
        int L = TIsa.Lanes, gates = TG.Size;
        long vectorFloats = (long)gates * (1 + nx + nh) * L;
        for (int v0 = 0; v0 < vectors; v0 += vpg)
        {
            if (vpg == 2 && v0 + 1 < vectors)
            {
                GroupProducts<TIsa, TV, TPair>(panels, x, nx, h, nh, pre + v0 * gates * L);
                panels += 2 * vectorFloats;
            }
            else
            {
                GroupProducts<TIsa, TV, TG>(panels, x, nx, h, nh, pre + v0 * gates * L);
                panels += vectorFloats;
            }
        }
    }

    /// <summary>Hidden vectors per product group: two on targets with 32 vector registers (AVX-512, NEON), one on
    /// AVX2 and scalar x64 (16 registers), so the accumulators never spill.</summary>
    public static int VectorsPerGroup(KernelPath path) => path is KernelPath.Avx512 or KernelPath.AdvSimd or KernelPath.NeonModel ? 2 : 1;

    /// <summary>Pack product-group panels (see <see cref="GroupProducts"/>): group q covers hidden vectors q·vpg..,
    /// each row (vectors in the group)·slots·Lanes floats in v-major, slot order. Slot s of hidden unit j takes
    /// <paramref name="bias"/>(s, j) in the bias row, W[gate(s)·H + j][i] in x-row i and R[gate(s)·H + j][k] in h-row k,
    /// where <paramref name="xGate"/> / <paramref name="hGate"/> give each slot's ONNX gate index (−1: zero); units
    /// beyond H are zero. Returns the floats written.</summary>
    public static int PackGroups(ReadOnlySpan<float> w, ReadOnlySpan<float> r, Func<int, int, float> bias, int inputs, int hidden,
        int lanes, int vectors, int vpg, int[] xGate, int[] hGate, Span<float> dst)
    {
        int slots = hGate.Length, o = 0;
        for (int v0 = 0; v0 < vectors; v0 += vpg)
        {
            int nv = Math.Min(vpg, vectors - v0);
            for (int k = -1; k < inputs + hidden; k++)
                for (int v = v0; v < v0 + nv; v++)
                    for (int s = 0; s < slots; s++)
                        for (int l = 0; l < lanes; l++, o++)
                        {
                            int j = v * lanes + l;
                            dst[o] = j >= hidden ? 0f
                                : k < 0 ? bias(s, j)
                                : k < inputs ? (xGate[s] < 0 ? 0f : w[(xGate[s] * hidden + j) * inputs + k])
                                : hGate[s] < 0 ? 0f : r[(hGate[s] * hidden + j) * hidden + (k - inputs)];
                        }
        }
        return o;
    }

    /// <summary>Store the first <paramref name="count"/> lanes of v at p (all of them when count ≥ lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial<TIsa, TV>(float* p, TV v, int count) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (count >= TIsa.Lanes) TIsa.Store(p, v);
        else StoreFew(p, v, count);
    }

    /// <summary>The partial store out of line, so the caller keeps no address-taken vector on its stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreFew<TV>(float* p, TV v, int count) where TV : struct
    {
        ref float lanes = ref Unsafe.As<TV, float>(ref v);
        for (int i = 0; i < count; i++) p[i] = Unsafe.Add(ref lanes, i);
    }

    /// <summary>Copy the rows of one gate of hidden vector v from an ONNX-layout [gates·H, cols] matrix as a panel:
    /// cols rows of Lanes floats (units v·Lanes.., zero beyond H).</summary>
    public static void PackGate(ReadOnlySpan<float> src, int gate, int hidden, int cols, int lanes, int v, Span<float> dst)
    {
        for (int k = 0; k < cols; k++)
            for (int l = 0; l < lanes; l++)
            {
                int j = v * lanes + l;
                dst[k * lanes + l] = j < hidden ? src[(gate * hidden + j) * cols + k] : 0f;
            }
    }
}
