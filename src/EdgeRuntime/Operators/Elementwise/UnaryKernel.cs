using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>fp32 element-wise kernel: y[i] = op(x[i]) over the whole tensor, or over
/// frames × elements-per-frame in streaming graphs. y may alias x exactly.</summary>
public sealed unsafe class UnaryKernel<TOp> : OpKernel where TOp : struct, IUnaryOp
{
    private readonly TOp _op;
    private readonly float* _x, _y;
    private readonly long _count, _perFrame;

    public UnaryKernel(TOp op, float* x, float* y, long count, long perFrame)
    {
        _op = op;
        _x = x;
        _y = y;
        _count = count;
        _perFrame = perFrame;
    }

    public override string KernelName => typeof(TOp).Name.Replace("Op", "").ToLowerInvariant() + ".f32" +
        (!default(TOp).Vectorizable ? ".scalar" : Vector256.IsHardwareAccelerated ? ".v256" : Vector128.IsHardwareAccelerated ? ".v128" : ".scalar");

    public override void Execute(int frames)
    {
        long n = _perFrame > 0 ? Math.Min(_count, frames * _perFrame) : _count;
        Run(_op, _x, _y, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(TOp op, float* x, float* y, long n)
    {
        long i = 0;
        if (op.Vectorizable)
        {
            if (Vector256.IsHardwareAccelerated)
                for (; i <= n - 8; i += 8) op.Apply(Vector256.Load(x + i)).Store(y + i);
            else if (Vector128.IsHardwareAccelerated)
                for (; i <= n - 4; i += 4) op.Apply(Vector128.Load(x + i)).Store(y + i);
        }
        for (; i < n; i++) y[i] = op.Apply(x[i]);
    }
}
