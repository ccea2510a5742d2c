using System.Runtime.InteropServices;

namespace EdgeRuntime.Operators;

/// <summary>Kernel-lifetime buffers (requantization tables, accumulators, packed weights) on the pinned object heap,
/// allocated once when the kernel is created and kept alive by the kernel that owns this object.</summary>
internal sealed unsafe class PinnedBuffers
{
    private readonly List<Array> _arrays = new();

    public int* Ints(int n)
    {
        var a = GC.AllocateArray<int>(Math.Max(n, 1), pinned: true);
        _arrays.Add(a);
        return (int*)Marshal.UnsafeAddrOfPinnedArrayElement(a, 0);
    }

    public sbyte* Bytes(long n)
    {
        var a = GC.AllocateArray<sbyte>(checked((int)Math.Max(n, 1)), pinned: true);
        _arrays.Add(a);
        return (sbyte*)Marshal.UnsafeAddrOfPinnedArrayElement(a, 0);
    }

    public float* Floats(int n)
    {
        var a = GC.AllocateArray<float>(Math.Max(n, 1), pinned: true);
        _arrays.Add(a);
        return (float*)Marshal.UnsafeAddrOfPinnedArrayElement(a, 0);
    }
}
