using System.Runtime.CompilerServices;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>Row-vector × packed-panel products for the per-frame kernels. A panel is <c>n</c> rows of
/// <c>Lanes</c> floats (one output vector's column block, contiguous), so a product streams the panel once and
/// broadcasts x[k]. Per lane the arithmetic is the same sequence of fused multiply-adds whatever the vector
/// width, so every path gives bit-identical results.</summary>
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
        int k = 0;
        for (; k <= n - 4; k += 4, panel += 4 * L)
        {
            a0 = TIsa.Fma(a0, TIsa.Load(panel), TIsa.Broadcast(x[k]));
            a1 = TIsa.Fma(a1, TIsa.Load(panel + L), TIsa.Broadcast(x[k + 1]));
            a2 = TIsa.Fma(a2, TIsa.Load(panel + 2 * L), TIsa.Broadcast(x[k + 2]));
            a3 = TIsa.Fma(a3, TIsa.Load(panel + 3 * L), TIsa.Broadcast(x[k + 3]));
        }
        for (; k < n; k++, panel += L) a0 = TIsa.Fma(a0, TIsa.Load(panel), TIsa.Broadcast(x[k]));
    }

    /// <summary>init + Σ_{k&lt;n} x[k]·panel[k], one accumulator (input projections: off the critical path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Dot1<TIsa, TV>(TV init, float* panel, float* x, int n) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        for (int k = 0; k < n; k++, panel += L) init = TIsa.Fma(init, TIsa.Load(panel), TIsa.Broadcast(x[k]));
        return init;
    }

    /// <summary>Store the first <paramref name="count"/> lanes of v (count ≤ lanes) at p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial<TIsa, TV>(float* p, TV v, int count, float* spill) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        if (count >= TIsa.Lanes) { TIsa.Store(p, v); return; }
        TIsa.Store(spill, v);
        for (int i = 0; i < count; i++) p[i] = spill[i];
    }

    /// <summary>Copy one gate block of an ONNX-layout [gates·H, cols] matrix into panels: for each output vector v,
    /// rows k &lt; cols of lanes v·L.. (zero beyond H), at dst + v·vStride.</summary>
    public static void PackGate(ReadOnlySpan<float> src, int gate, int hidden, int cols, int lanes, int vectors, Span<float> dst, long vStride)
    {
        for (int v = 0; v < vectors; v++)
            for (int k = 0; k < cols; k++)
                for (int l = 0; l < lanes; l++)
                {
                    int j = v * lanes + l;
                    dst[(int)(v * vStride) + k * lanes + l] = j < hidden ? src[(gate * hidden + j) * cols + k] : 0f;
                }
    }
}
