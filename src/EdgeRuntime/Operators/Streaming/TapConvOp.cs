using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Kernels.Conv1d;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>A conv's weights packed once (when the kernel is created, never during Execute) for
/// <see cref="TapConvF32"/> on this machine's fp32 path: W [Cout, Cin/groups, K] (PyTorch order) with an
/// optional bias and an optional extra 1×1 input (W [Cout, extra/extraGroups, 1]) summed into the same
/// accumulators.</summary>
internal sealed unsafe class TapConvOp
{
    private readonly float[] _packed;
    private readonly TapConv _c;
    private TapConvCall _call;

    public TapConvOp(ReadOnlySpan<float> w, ReadOnlySpan<float> bias, int cout, int cin, int kernel, int dilation, int groups,
        ReadOnlySpan<float> extraW = default, int extra = 0, int extraGroups = 1)
    {
        int ldw = TapConvF32.Stride(KernelPaths.BestF32, cout);
        _packed = GC.AllocateArray<float>(TapConvPacking.Floats(ldw, cin, kernel, extra), pinned: true);
        TapConvPacking.Pack(_packed, ldw, w, cout, cin, kernel, groups, bias, extraW, extra, extraGroups);
        _c = new TapConv((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_packed)), cout, ldw, cin, kernel, dilation, extra, !bias.IsEmpty);
    }

    public int Cout => _c.N;
    public int Cin => _c.Cin;
    public int HistoryFrames => _c.HistoryFrames;

    /// <summary>y[frames, Cout] (stride ldy) = add + bias + taps(x) · W (+ e · Wextra); see <see cref="TapConvF32"/>.
    /// x is frame 0 with HistoryFrames rows (stride ldx) of history before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run(int frames, float* x, int ldx, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        => Run(frames, x, ldx, 1, e, lde, add, ldAdd, y, ldy);

    /// <summary>As <see cref="Run(int, float*, int, float*, int, float*, int, float*, int)"/> with x's channels ldc apart
    /// (a channel-major block: ldx = 1, ldc = its row stride). The kernel is resolved for the layout on the first
    /// call (and again only if the layout changes), so later calls go straight to it.</summary>
    public void Run(int frames, float* x, int ldx, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
    {
        int addStride = add != null ? ldAdd : -1;
        ref readonly var f = ref _call.For;
        if (!_call.IsResolved || f.Ldx != ldx || f.Ldc != ldc || f.Lde != lde || f.AddStride != addStride || f.Ldy != ldy)
            _call = TapConvF32.Resolve(KernelPaths.BestF32, _c, ldx, ldc, lde, add != null, ldAdd, ldy);
        TapConvF32.Invoke(_call, _c, frames, x, ldx, ldc, e, lde, add, ldAdd, y, ldy);
    }

    /// <summary>The same conv on channel-major blocks with frames along the lanes (<see cref="TimeConvF32"/>):
    /// y[o][t] (row stride ldy) from x[c][t] (row stride ldc, history before column 0) and e[c][t] (row
    /// stride lde), plus add[o][t] (row stride ldAdd, may be y); whole vectors, so rows must hold frames rounded
    /// up to <see cref="TimeConvF32.Lanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RunChannelMajor(int frames, float* x, int ldc, float* e, int lde, float* add, int ldAdd, float* y, int ldy)
        => TimeConvF32.Run(_c, frames, x, ldc, e, lde, add, ldAdd, y, ldy);
}
