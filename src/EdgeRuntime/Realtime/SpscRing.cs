using System.Runtime.InteropServices;

namespace EdgeRuntime.Realtime;

/// <summary>Lock-free single-producer/single-consumer ring of unmanaged records. The producer (the
/// real-time thread) never waits: <see cref="TryWrite"/> returns false when the ring is full and the
/// caller counts the record as dropped. Neither side allocates. Capacity is a power of two.</summary>
public sealed class SpscRing<T> where T : unmanaged
{
    private readonly T[] _items;
    private readonly int _mask;
    private SpscRingIndexes _ix;

    public SpscRing(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be a power of two ≥ 2");
        _items = new T[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _items.Length;

    /// <summary>Records currently queued (a snapshot; exact only when both sides are idle).</summary>
    public int Count => (int)(Volatile.Read(ref _ix.Tail) - Volatile.Read(ref _ix.Head));

    /// <summary>Producer side. False (nothing written) when full.</summary>
    public bool TryWrite(in T item)
    {
        long tail = _ix.Tail; // only the producer writes Tail
        if (tail - Volatile.Read(ref _ix.Head) >= _items.Length) return false;
        _items[tail & _mask] = item;
        Volatile.Write(ref _ix.Tail, tail + 1); // publish after the item is stored
        return true;
    }

    /// <summary>Consumer side. False when empty.</summary>
    public bool TryRead(out T item)
    {
        long head = _ix.Head; // only the consumer writes Head
        if (head == Volatile.Read(ref _ix.Tail)) { item = default; return false; }
        item = _items[head & _mask];
        Volatile.Write(ref _ix.Head, head + 1); // release the slot after the item is copied out
        return true;
    }
}

/// <summary>Head (consumer) and tail (producer) on separate cache lines to avoid false sharing.
/// (Outside the generic ring: generic types cannot have explicit layout.)</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct SpscRingIndexes
{
    [FieldOffset(64)] public long Tail;  // next slot the producer writes
    [FieldOffset(128)] public long Head; // next slot the consumer reads
}
