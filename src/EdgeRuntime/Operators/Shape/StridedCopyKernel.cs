namespace EdgeRuntime.Operators.Shape;

/// <summary>out[c] = in[base + Σ c_d · stride_d] over the output's dimensions in row-major order:
/// the common loop of Transpose (permuted strides) and Slice (start offset, stepped strides).
/// The innermost dimension runs as a tight strided loop.</summary>
public sealed unsafe class StridedCopyKernel<T> : OpKernel where T : unmanaged
{
    private readonly T* _src, _dst;
    private readonly int[] _dims;
    private readonly long[] _strides;
    private readonly long _base;
    private readonly int[] _counter;
    private readonly long _count;
    private readonly string _name;

    public StridedCopyKernel(string name, T* src, T* dst, int[] outDims, long[] srcStrides, long baseOffset)
    {
        _name = name;
        _src = src;
        _dst = dst;
        // Drop size-1 dims; merge dims that are contiguous in the source.
        var dims = new List<int>();
        var strides = new List<long>();
        for (int d = 0; d < outDims.Length; d++)
        {
            if (outDims[d] == 1) continue;
            if (dims.Count > 0 && strides[^1] == srcStrides[d] * outDims[d])
            {
                dims[^1] *= outDims[d];
                strides[^1] = srcStrides[d];
            }
            else { dims.Add(outDims[d]); strides.Add(srcStrides[d]); }
        }
        if (dims.Count == 0) { dims.Add(1); strides.Add(1); }
        _dims = dims.ToArray();
        _strides = strides.ToArray();
        _base = baseOffset;
        _counter = new int[_dims.Length];
        _count = outDims.Aggregate(1L, (a, d) => a * d);
    }

    public override string KernelName => _name;

    public override void Execute(int frames)
    {
        if (_count == 0) return;
        int last = _dims.Length - 1;
        int len = _dims[last];
        long step = _strides[last];
        var c = _counter;
        Array.Clear(c);
        long src = _base;
        T* dst = _dst;
        long rows = _count / len;
        for (long r = 0; r < rows; r++)
        {
            T* s = _src + src;
            if (step == 1) new ReadOnlySpan<T>(s, len).CopyTo(new Span<T>(dst, len));
            else for (int i = 0; i < len; i++) dst[i] = s[i * step];
            dst += len;
            for (int d = last - 1; d >= 0; d--)
            {
                src += _strides[d];
                if (++c[d] < _dims[d]) break;
                src -= _strides[d] * _dims[d];
                c[d] = 0;
            }
        }
    }

    /// <summary>Instantiate for an element size in bytes (the kernel only moves bits).</summary>
    public static OpKernel ForElementSize(string name, int size, byte* src, byte* dst, int[] outDims, long[] srcStrides, long baseOffset) => size switch
    {
        1 => new StridedCopyKernel<byte>(name, src, dst, outDims, srcStrides, baseOffset),
        2 => new StridedCopyKernel<ushort>(name, (ushort*)src, (ushort*)dst, outDims, srcStrides, baseOffset),
        4 => new StridedCopyKernel<uint>(name, (uint*)src, (uint*)dst, outDims, srcStrides, baseOffset),
        _ => new StridedCopyKernel<ulong>(name, (ulong*)src, (ulong*)dst, outDims, srcStrides, baseOffset),
    };
}
