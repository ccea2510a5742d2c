using System.Buffers.Binary;
using System.Text;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Tflite;

/// <summary>A bounds-checked FlatBuffers reader. Every offset, vtable and vector length is validated
/// against the buffer before it is read; a hostile file gets a <see cref="ModelException"/> naming the
/// file and the field at fault, never an out-of-range read. Work is bounded: nesting depth is limited
/// and the total number of elements and tables visited is capped relative to the file size, so
/// aliased offsets (many fields pointing at the same large vector) cannot make reading explode.
/// uoffsets are unsigned (forward only) and must be non-zero, so offset cycles are impossible.</summary>
public sealed class FlatBufferReader
{
    public const int MaxDepth = 32;
    private readonly byte[] _buf;
    private long _budget;

    public FlatBufferReader(byte[] buffer, string source)
    {
        _buf = buffer;
        Source = source;
        // Elements read across all vectors + tables visited; a sane file reads each byte about once.
        _budget = 16L * buffer.Length + 4096;
    }

    public string Source { get; }
    public int Length => _buf.Length;
    public ReadOnlySpan<byte> Bytes => _buf;

    public ModelException Error(string what) => new($"{Source}: invalid TFLite flatbuffer: {what}");

    private void Need(long pos, long bytes, string what)
    {
        if (pos < 0 || bytes < 0 || pos > _buf.Length || bytes > _buf.Length - pos)
            throw Error($"{what} at offset {pos} (+{bytes} bytes) lies outside the {_buf.Length}-byte file");
    }

    private void Spend(long units, string what)
    {
        _budget -= units;
        if (_budget < 0) throw Error($"{what}: too much data referenced (aliased or oversized offsets)");
    }

    public uint U32(long pos, string what) { Need(pos, 4, what); return BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan((int)pos)); }
    public int I32(long pos, string what) { Need(pos, 4, what); return BinaryPrimitives.ReadInt32LittleEndian(_buf.AsSpan((int)pos)); }
    public ushort U16(long pos, string what) { Need(pos, 2, what); return BinaryPrimitives.ReadUInt16LittleEndian(_buf.AsSpan((int)pos)); }

    /// <summary>Follow a uoffset stored at <paramref name="pos"/>.</summary>
    public long Deref(long pos, string what)
    {
        uint off = U32(pos, what);
        if (off == 0) throw Error($"{what}: zero offset at {pos} (self reference)");
        long target = pos + off;
        Need(target, 4, what);
        return target;
    }

    /// <summary>The root table of the buffer.</summary>
    public Table Root(string what)
    {
        if (_buf.Length < 8) throw Error($"file is {_buf.Length} bytes, too short for a flatbuffer");
        return TableAt(Deref(0, what), what, 0);
    }

    public Table TableAt(long pos, string what, int depth)
    {
        if (depth > MaxDepth) throw Error($"{what}: nesting deeper than {MaxDepth}");
        Spend(8, what);
        int soff = I32(pos, what + " (vtable offset)");
        long vt = pos - soff;
        ushort vtSize = U16(vt, what + " (vtable)");
        if (vtSize < 4 || (vtSize & 1) != 0) throw Error($"{what}: vtable at {vt} has invalid size {vtSize}");
        Need(vt, vtSize, what + " (vtable)");
        ushort objSize = U16(vt + 2, what + " (vtable)");
        if (objSize < 4) throw Error($"{what}: table at {pos} has invalid inline size {objSize}");
        Need(pos, objSize, what + " (table)");
        return new Table(this, pos, vt, vtSize, objSize, depth, what);
    }

    /// <summary>A vector whose uoffset is stored at <paramref name="fieldPos"/>: (first element, count).</summary>
    public (long Start, int Count) Vector(long fieldPos, int elemSize, string what)
    {
        long v = Deref(fieldPos, what);
        uint n = U32(v, what + " (length)");
        long bytes = (long)n * elemSize;
        if (n > int.MaxValue || bytes > _buf.Length - (v + 4))
            throw Error($"{what}: vector length {n} × {elemSize} bytes at offset {v} exceeds the file");
        Spend(n, what);
        return (v + 4, (int)n);
    }

    public string String(long fieldPos, string what)
    {
        var (start, n) = Vector(fieldPos, 1, what);
        return Encoding.UTF8.GetString(_buf, (int)start, n);
    }

    /// <summary>A view of one table: fields are looked up by slot index through the vtable.</summary>
    public readonly struct Table
    {
        private readonly FlatBufferReader _r;
        private readonly long _vt;
        private readonly int _vtSize, _objSize;

        internal Table(FlatBufferReader r, long pos, long vt, int vtSize, int objSize, int depth, string what)
        {
            _r = r; Pos = pos; _vt = vt; _vtSize = vtSize; _objSize = objSize; Depth = depth; What = what;
        }

        public long Pos { get; }
        public int Depth { get; }
        public string What { get; }

        /// <summary>Absolute position of field <paramref name="slot"/> with <paramref name="size"/> bytes, or -1 when absent.</summary>
        public long Field(int slot, int size)
        {
            int entry = 4 + 2 * slot;
            if (entry + 2 > _vtSize) return -1;
            int off = _r.U16(_vt + entry, What);
            if (off == 0) return -1;
            if (off + size > _objSize) throw _r.Error($"{What}: field {slot} (offset {off}, {size} bytes) lies outside its {_objSize}-byte table");
            return Pos + off;
        }

        public bool Has(int slot) => Field(slot, 1) >= 0;
        public sbyte I8(int slot, sbyte dflt = 0) { long p = Field(slot, 1); return p < 0 ? dflt : (sbyte)_r._buf[p]; }
        public byte U8(int slot, byte dflt = 0) { long p = Field(slot, 1); return p < 0 ? dflt : _r._buf[p]; }
        public bool Bool(int slot, bool dflt = false) { long p = Field(slot, 1); return p < 0 ? dflt : _r._buf[p] != 0; }
        public int I32(int slot, int dflt = 0) { long p = Field(slot, 4); return p < 0 ? dflt : _r.I32(p, What); }
        public uint U32(int slot, uint dflt = 0) { long p = Field(slot, 4); return p < 0 ? dflt : _r.U32(p, What); }
        public ulong U64(int slot, ulong dflt = 0)
        {
            long p = Field(slot, 8);
            if (p < 0) return dflt;
            _r.Need(p, 8, What);
            return BinaryPrimitives.ReadUInt64LittleEndian(_r._buf.AsSpan((int)p));
        }
        public float F32(int slot, float dflt = 0)
        {
            long p = Field(slot, 4);
            return p < 0 ? dflt : BitConverter.Int32BitsToSingle(_r.I32(p, What));
        }

        public string? String(int slot, string name)
        {
            long p = Field(slot, 4);
            return p < 0 ? null : _r.String(p, $"{What}.{name}");
        }

        public Table? Sub(int slot, string name)
        {
            long p = Field(slot, 4);
            return p < 0 ? null : _r.TableAt(_r.Deref(p, $"{What}.{name}"), $"{What}.{name}", Depth + 1);
        }

        /// <summary>Tables of a vector field (empty when absent).</summary>
        public Table[] Tables(int slot, string name)
        {
            long p = Field(slot, 4);
            if (p < 0) return [];
            var (start, n) = _r.Vector(p, 4, $"{What}.{name}");
            var result = new Table[n];
            for (int i = 0; i < n; i++)
                result[i] = _r.TableAt(_r.Deref(start + 4L * i, $"{What}.{name}[{i}]"), $"{What}.{name}[{i}]", Depth + 1);
            return result;
        }

        public int[] Ints(int slot, string name)
        {
            long p = Field(slot, 4);
            if (p < 0) return [];
            var (start, n) = _r.Vector(p, 4, $"{What}.{name}");
            var result = new int[n];
            for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(_r._buf.AsSpan((int)(start + 4L * i)));
            return result;
        }

        public float[] Floats(int slot, string name)
        {
            var ints = Ints(slot, name);
            var f = new float[ints.Length];
            for (int i = 0; i < f.Length; i++) f[i] = BitConverter.Int32BitsToSingle(ints[i]);
            return f;
        }

        public long[] Longs(int slot, string name)
        {
            long p = Field(slot, 4);
            if (p < 0) return [];
            var (start, n) = _r.Vector(p, 8, $"{What}.{name}");
            var result = new long[n];
            for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(_r._buf.AsSpan((int)(start + 8L * i)));
            return result;
        }

        /// <summary>(start, length) of a byte vector field; (0, 0) when absent.</summary>
        public (long Start, int Count) ByteVector(int slot, string name)
        {
            long p = Field(slot, 4);
            return p < 0 ? (0, 0) : _r.Vector(p, 1, $"{What}.{name}");
        }
    }
}
