using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Kernels.Gemv;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>A causal dilated conv (optionally fused with a 1x1 "mixin" conv over a second input) as
/// ONE matrix product per call: the K taps of each frame (and the mixin input) are gathered into a
/// row of A [frames, Cin·K + Cextra] and multiplied by a dense B [Cin·K + Cextra, Cout] packed once
/// (grouped convs are expanded block-diagonally). Cout = 1 uses GEMV (one dot product per frame).</summary>
internal sealed unsafe class Im2ColConv
{
    private readonly float[] _bArr;
    private readonly float[]? _biasArr;
    private readonly float* _b, _bias;
    public readonly int Cin, Cout, Kernel, Dilation, Extra;

    public Im2ColConv(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int cout, int cin, int kernel, int dilation, int groups,
        ReadOnlySpan<float> extraW = default, int extra = 0, int extraGroups = 1)
    {
        Cin = cin; Cout = cout; Kernel = kernel; Dilation = dilation; Extra = extra;
        int kt = cin * kernel + extra;
        _bArr = GC.AllocateArray<float>(Math.Max(1, kt * cout), pinned: true);
        int cig = cin / groups, cog = cout / groups;
        for (int o = 0; o < cout; o++)
        {
            int g = o / cog;
            for (int j = 0; j < cig; j++)
                for (int k = 0; k < kernel; k++)
                    _bArr[(k * cin + g * cig + j) * cout + o] = w[(o * cig + j) * kernel + k];
        }
        if (extra > 0)
        {
            int eig = extra / extraGroups, eog = cout / extraGroups;
            for (int o = 0; o < cout; o++)
            {
                int g = o / eog;
                for (int j = 0; j < eig; j++) _bArr[(cin * kernel + g * eig + j) * cout + o] = extraW[o * eig + j];
            }
        }
        _b = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bArr));
        if (!bias.IsEmpty)
        {
            _biasArr = GC.AllocateArray<float>(cout, pinned: true);
            bias.CopyTo(_biasArr);
            _bias = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_biasArr));
        }
    }

    public int HistoryFrames => (Kernel - 1) * Dilation;
    public int KTotal => Cin * Kernel + Extra;
    /// <summary>Scratch floats per frame for the gathered rows (0 when no gather is needed).</summary>
    public int ScratchPerFrame => Kernel == 1 && Extra == 0 ? 0 : KTotal;

    /// <summary>y[frames, Cout] (stride ldy) = bias + taps(cur) · W (+ extra · Wextra) (+ y when accumulate).
    /// <paramref name="cur"/> is frame 0 of the block with HistoryFrames rows (stride Cin) before it;
    /// <paramref name="extra"/> is [frames, Extra] contiguous; <paramref name="a"/> is scratch.</summary>
    public void Run(int frames, float* cur, float* extra, float* a, float* y, int ldy, bool accumulate)
    {
        int kt = KTotal;
        float* src;
        if (ScratchPerFrame == 0) src = cur;
        else
        {
            long tapBytes = (long)Cin * sizeof(float);
            for (int t = 0; t < frames; t++)
            {
                float* row = a + (long)t * kt;
                for (int k = 0; k < Kernel; k++)
                {
                    float* s = cur + ((long)t - (long)Dilation * (Kernel - 1 - k)) * Cin;
                    if (Cin == 1) row[k] = *s;
                    else Buffer.MemoryCopy(s, row + k * Cin, tapBytes, tapBytes);
                }
                if (Extra > 0)
                {
                    float* e = extra + (long)t * Extra, d = row + Kernel * Cin;
                    for (int j = 0; j < Extra; j++) d[j] = e[j];
                }
            }
            src = a;
        }
        if (Cout == 1 && ldy == 1)
        {
            GemvF32.Run(frames, kt, src, _b, y, null, accumulate);
            if (_bias != null)
            {
                float b = *_bias;
                for (int t = 0; t < frames; t++) y[t] += b;
            }
            return;
        }
        GemmF32.Run(frames, Cout, kt, src, kt, _b, Cout, y, ldy, _bias, accumulate);
    }
}
