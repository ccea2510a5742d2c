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
        if (n * taps < 4)
        {
            for (int j = 0; j < taps; j++) init = Dot1<TIsa, TV>(init, panel + (long)j * n * TIsa.Lanes, x + j * xStride, n);
            return init;
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

    /// <summary>The recurrent products of a group of G output vectors (the gates of one or two hidden vectors):
    /// out[g] = pre[g] + Σ_{k&lt;n} h[k]·panel[k][g] for g &lt; G, the panel stored as n rows of G·Lanes floats.
    /// h[k] is broadcast once per row and feeds all G FMAs (the broadcast is what limits a one-product-at-a-time
    /// loop); even and odd k go to two accumulators per output, combined at the end, so the dependency chain is
    /// n/2 FMAs. Up to 16 accumulators: G = 8 only on 32-register targets. Results are read from and written to
    /// <paramref name="pre"/> (G vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GroupProducts<TIsa, TV, TG>(float* panel, float* h, int n, float* pre)
        where TIsa : struct, IFloatIsa<TV> where TV : struct where TG : struct, IGroupSize
    {
        int L = TIsa.Lanes, G = TG.Size;
        TV z = TIsa.Zero;
        TV a0 = TIsa.Load(pre), a1 = G > 1 ? TIsa.Load(pre + L) : z, a2 = G > 2 ? TIsa.Load(pre + 2 * L) : z, a3 = G > 3 ? TIsa.Load(pre + 3 * L) : z;
        TV a4 = G > 4 ? TIsa.Load(pre + 4 * L) : z, a5 = G > 5 ? TIsa.Load(pre + 5 * L) : z, a6 = G > 6 ? TIsa.Load(pre + 6 * L) : z, a7 = G > 7 ? TIsa.Load(pre + 7 * L) : z;
        TV b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        float* end2 = h + (n & ~1);
        int row = G * L;
        for (; h < end2; h += 2, panel += 2 * row)
        {
            TV x = TIsa.Broadcast(h[0]);
            a0 = TIsa.Fma(a0, TIsa.Load(panel), x);
            if (G > 1) a1 = TIsa.Fma(a1, TIsa.Load(panel + L), x);
            if (G > 2) a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), x);
            if (G > 3) a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), x);
            if (G > 4) a4 = TIsa.Fma(a4, TIsa.Load(panel + 4 * L), x);
            if (G > 5) a5 = TIsa.Fma(a5, TIsa.Load(panel + 5 * L), x);
            if (G > 6) a6 = TIsa.Fma(a6, TIsa.Load(panel + 6 * L), x);
            if (G > 7) a7 = TIsa.Fma(a7, TIsa.Load(panel + 7 * L), x);
            float* q = panel + row;
            x = TIsa.Broadcast(h[1]);
            b0 = TIsa.Fma(b0, TIsa.Load(q), x);
            if (G > 1) b1 = TIsa.Fma(b1, TIsa.Load(q + L), x);
            if (G > 2) b2 = TIsa.Fma(b2, TIsa.Load(q + 2 * L), x);
            if (G > 3) b3 = TIsa.Fma(b3, TIsa.Load(q + 3 * L), x);
            if (G > 4) b4 = TIsa.Fma(b4, TIsa.Load(q + 4 * L), x);
            if (G > 5) b5 = TIsa.Fma(b5, TIsa.Load(q + 5 * L), x);
            if (G > 6) b6 = TIsa.Fma(b6, TIsa.Load(q + 6 * L), x);
            if (G > 7) b7 = TIsa.Fma(b7, TIsa.Load(q + 7 * L), x);
        }
        if ((n & 1) != 0)
        {
            TV x = TIsa.Broadcast(h[0]);
            a0 = TIsa.Fma(a0, TIsa.Load(panel), x);
            if (G > 1) a1 = TIsa.Fma(a1, TIsa.Load(panel + L), x);
            if (G > 2) a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), x);
            if (G > 3) a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), x);
            if (G > 4) a4 = TIsa.Fma(a4, TIsa.Load(panel + 4 * L), x);
            if (G > 5) a5 = TIsa.Fma(a5, TIsa.Load(panel + 5 * L), x);
            if (G > 6) a6 = TIsa.Fma(a6, TIsa.Load(panel + 6 * L), x);
            if (G > 7) a7 = TIsa.Fma(a7, TIsa.Load(panel + 7 * L), x);
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

    /// <summary>Hidden vectors per product group: two on targets with 32 vector registers (AVX-512, NEON), one on
    /// AVX2 and scalar x64 (16 registers), so the accumulators never spill.</summary>
    public static int VectorsPerGroup(KernelPath path) => path is KernelPath.Avx512 or KernelPath.AdvSimd or KernelPath.NeonModel ? 2 : 1;

    /// <summary>Copy the h-rows of an ONNX-layout [gates·H, H] matrix into product-group panels: group q covers hidden
    /// vectors q·vpg.. and is H rows of (vectors in the group)·gates·Lanes floats, slot order v-major then
    /// <paramref name="gateOrder"/> (zero for units beyond H and for slots whose gate is −1).</summary>
    public static void PackGroups(ReadOnlySpan<float> r, int hidden, int lanes, int vectors, int vpg, int[] gateOrder, Span<float> dst)
    {
        int gates = gateOrder.Length, o = 0;
        for (int v0 = 0; v0 < vectors; v0 += vpg)
        {
            int nv = Math.Min(vpg, vectors - v0);
            for (int k = 0; k < hidden; k++)
                for (int v = v0; v < v0 + nv; v++)
                    for (int g = 0; g < gates; g++)
                        for (int l = 0; l < lanes; l++, o++)
                        {
                            int j = v * lanes + l;
                            dst[o] = j < hidden && gateOrder[g] >= 0 ? r[(gateOrder[g] * hidden + j) * hidden + k] : 0f;
                        }
        }
    }

    /// <summary>Store the first <paramref name="count"/> lanes of v at p (all of them when count ≥ lanes), through
    /// <paramref name="spill"/> (Lanes floats) when fewer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial<TIsa, TV>(float* p, TV v, int count, float* spill) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (count >= TIsa.Lanes) { TIsa.Store(p, v); return; }
        TIsa.Store(spill, v);
        for (int i = 0; i < count; i++) p[i] = spill[i];
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
