using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Kernels.Gemv;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>Conv1D weights W[Cout, Cin/G, K] (PyTorch order) repacked once per session for per-tap,
/// per-group GEMMs in time-major layout: block (k, g) is [Cin/G × Cout/G] row-major, so that
/// y[t, g·Cout/G..] += x[t − d·(K−1−k), g·Cin/G..] · block. The packed copy is a pinned array
/// created with the kernel (never during Execute).</summary>
internal sealed unsafe class PackedConv
{
    private readonly float[] _packed, _rowsArr;
    private readonly float* _rows;   // block (k, g) as [Cout/G × Cin/G] row-major, for per-frame GEMV
    private readonly float[]? _bias;
    public readonly int Cin, Cout, Kernel, Dilation, Groups;
    private readonly float* _w;
    private readonly float* _b;

    public PackedConv(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int cout, int cin, int kernel, int dilation, int groups)
    {
        Cin = cin; Cout = cout; Kernel = kernel; Dilation = dilation; Groups = groups;
        int cig = cin / groups, cog = cout / groups;
        _packed = GC.AllocateUninitializedArray<float>(Math.Max(1, kernel * groups * cig * cog), pinned: true);
        for (int k = 0; k < kernel; k++)
            for (int g = 0; g < groups; g++)
            {
                int blk = (k * groups + g) * cig * cog;
                for (int j = 0; j < cig; j++)
                    for (int i = 0; i < cog; i++)
                        _packed[blk + j * cog + i] = w[((g * cog + i) * cig + j) * kernel + k];
            }
        _w = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_packed));
        _rowsArr = GC.AllocateUninitializedArray<float>(_packed.Length, pinned: true);
        for (int k = 0; k < kernel; k++)
            for (int g = 0; g < groups; g++)
            {
                int blk = (k * groups + g) * cig * cog;
                for (int i = 0; i < cog; i++)
                    for (int j = 0; j < cig; j++)
                        _rowsArr[blk + i * cig + j] = w[((g * cog + i) * cig + j) * kernel + k];
            }
        _rows = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_rowsArr));
        if (!bias.IsEmpty)
        {
            _bias = GC.AllocateUninitializedArray<float>(cout, pinned: true);
            bias.CopyTo(_bias);
            _b = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bias));
        }
    }

    public bool HasBias => _b != null;
    public float* Bias => _b;

    /// <summary>Frames of history this conv needs: (K−1)·d.</summary>
    public int HistoryFrames => (Kernel - 1) * Dilation;

    /// <summary>y[frames, Cout] (row stride ldy) = bias + Σ_k x(t − d(K−1−k)) · W_k (+ y when accumulate).
    /// <paramref name="cur"/> points at frame 0 of the block inside a buffer whose preceding
    /// HistoryFrames rows (stride Cin) hold the past input.</summary>
    public void Run(int frames, float* cur, float* y, int ldy, bool accumulate)
    {
        int cig = Cin / Groups, cog = Cout / Groups;
        if (Im2ColConv.PreferGemv(frames, cog))
        {
            for (int t = 0; t < frames; t++)
            {
                float* yt = y + (long)t * ldy;
                for (int k = 0; k < Kernel; k++)
                {
                    float* xt = cur + ((long)t - (long)Dilation * (Kernel - 1 - k)) * Cin;
                    bool acc = accumulate || k > 0;
                    for (int g = 0; g < Groups; g++)
                        GemvF32.Run(cog, cig, _rows + (long)(k * Groups + g) * cig * cog, xt + g * cig, yt + g * cog,
                            (k == 0 && _b != null) ? _b + g * cog : null, acc);
                }
            }
            return;
        }
        for (int k = 0; k < Kernel; k++)
        {
            float* a = cur - (long)Dilation * (Kernel - 1 - k) * Cin;
            bool acc = accumulate || k > 0;
            for (int g = 0; g < Groups; g++)
            {
                float* b = (k == 0 && _b != null) ? _b + g * cog : null;
                GemmF32.Run(frames, cog, cig, a + g * cig, Cin, _w + (long)(k * Groups + g) * cig * cog, cog,
                    y + g * cog, ldy, b, acc);
            }
        }
    }
}
