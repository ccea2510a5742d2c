using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Operators.Elementwise;

public enum BinaryKind { Add, Sub, Mul, Div, Max, Min, PRelu }

/// <summary>Broadcasting binary kernel over element type <typeparamref name="T"/>. Variadic ops
/// (Max/Min with more than two inputs) run as a chain of steps folding into the output:
/// out = op(in0, in1), then out = op(out, in_k). Rows of the output are walked with a
/// <see cref="BroadcastIterator"/>; each row runs a vectorized loop for the contiguous/broadcast case.</summary>
public sealed unsafe class BinaryKernel<T> : OpKernel where T : unmanaged, INumber<T>
{
    private readonly BinaryKind _kind;
    private readonly T*[] _a, _b;
    private readonly BroadcastIterator[] _steps;
    private readonly T* _out;
    private readonly long _perFrame;
    private readonly bool _streaming;

    public BinaryKernel(BinaryKind kind, T* output, T*[] a, T*[] b, BroadcastIterator[] steps, bool streaming, long perFrame)
    {
        _kind = kind;
        _out = output;
        _a = a;
        _b = b;
        _steps = steps;
        _streaming = streaming;
        _perFrame = perFrame;
    }

    public override string KernelName => $"{_kind.ToString().ToLowerInvariant()}.{typeof(T).Name.ToLowerInvariant()}" +
        (Vector256.IsHardwareAccelerated ? ".v256" : Vector128.IsHardwareAccelerated ? ".v128" : ".scalar");

    public override void Execute(int frames)
    {
        switch (_kind)
        {
            case BinaryKind.Add: Run<AddOp<T>>(frames); break;
            case BinaryKind.Sub: Run<SubOp<T>>(frames); break;
            case BinaryKind.Mul: Run<MulOp<T>>(frames); break;
            case BinaryKind.Div: Run<DivOp<T>>(frames); break;
            case BinaryKind.Max: Run<MaxOp<T>>(frames); break;
            case BinaryKind.Min: Run<MinOp<T>>(frames); break;
            case BinaryKind.PRelu: Run<PReluOp<T>>(frames); break;
        }
    }

    private void Run<TOp>(int frames) where TOp : IBinaryOp<T>
    {
        Span<long> off = stackalloc long[2];
        for (int s = 0; s < _steps.Length; s++)
        {
            var it = _steps[s];
            long limit = _streaming ? Math.Min(it.TotalElements, frames * _perFrame) : it.TotalElements;
            T* a = _a[s], b = _b[s];
            if (it.Flat)
            {
                Row<TOp>(a, 1, b, 1, _out, limit);
                continue;
            }
            int len = it.RowLength;
            int sa = it.InnerStride[0], sb = it.InnerStride[1];
            for (long r = 0; r < it.Rows; r++)
            {
                long start = r * len;
                long n = Math.Min(len, limit - start);
                if (n <= 0) break;
                it.RowOffsets(r, off);
                Row<TOp>(a + off[0], sa, b + off[1], sb, _out + start, n);
            }
        }
    }

    /// <summary>o[i] = op(a[i*sa], b[i*sb]) for i &lt; n, strides 0 or 1. o may alias a or b exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row<TOp>(T* a, int sa, T* b, int sb, T* o, long n) where TOp : IBinaryOp<T>
    {
        long i = 0;
        if (TOp.Vectorizable)
        {
            if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            {
                long w = Vector256<T>.Count;
                if (sa == 1 && sb == 1)
                    for (; i <= n - w; i += w) TOp.Apply(Vector256.Load(a + i), Vector256.Load(b + i)).Store(o + i);
                else if (sa == 0 && sb == 1)
                {
                    var va = Vector256.Create(*a);
                    for (; i <= n - w; i += w) TOp.Apply(va, Vector256.Load(b + i)).Store(o + i);
                }
                else if (sa == 1 && sb == 0)
                {
                    var vb = Vector256.Create(*b);
                    for (; i <= n - w; i += w) TOp.Apply(Vector256.Load(a + i), vb).Store(o + i);
                }
            }
            else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
            {
                long w = Vector128<T>.Count;
                if (sa == 1 && sb == 1)
                    for (; i <= n - w; i += w) TOp.Apply(Vector128.Load(a + i), Vector128.Load(b + i)).Store(o + i);
                else if (sa == 0 && sb == 1)
                {
                    var va = Vector128.Create(*a);
                    for (; i <= n - w; i += w) TOp.Apply(va, Vector128.Load(b + i)).Store(o + i);
                }
                else if (sa == 1 && sb == 0)
                {
                    var vb = Vector128.Create(*b);
                    for (; i <= n - w; i += w) TOp.Apply(Vector128.Load(a + i), vb).Store(o + i);
                }
            }
        }
        for (; i < n; i++) o[i] = TOp.Apply(a[i * sa], b[i * sb]);
    }
}
