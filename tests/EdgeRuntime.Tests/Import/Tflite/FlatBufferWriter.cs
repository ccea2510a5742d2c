using System.Buffers.Binary;
using System.Text;

namespace EdgeRuntime.Tests.Import.Tflite;

/// <summary>A table for <see cref="FlatBufferWriter"/>: fields by vtable slot. Values: int, uint, float,
/// byte, sbyte, bool (scalars) or <see cref="FbTable"/>, <see cref="FbVector"/>, string (offsets).</summary>
public sealed class FbTable
{
    public List<(int Slot, object Value)> Fields { get; } = new();
    public FbTable Add(int slot, object value) { Fields.Add((slot, value)); return this; }
}

/// <summary>A vector: int[], float[], long[], byte[] or FbTable[].</summary>
public sealed record FbVector(object Items);

/// <summary>Test-only flatbuffer writer laying objects out front to back (children after parents, so
/// every uoffset points forward as the format requires). Records where each object landed so tests
/// can corrupt specific fields. A table object used twice is written once (aliasing).</summary>
public sealed class FlatBufferWriter
{
    private readonly List<byte> _b = new();
    private readonly Dictionary<object, int> _written = new(ReferenceEqualityComparer.Instance);
    public Dictionary<object, int> Positions => _written;

    public static (byte[] Bytes, FlatBufferWriter Writer) Build(FbTable root, string ident = "TFL3")
    {
        var w = new FlatBufferWriter();
        w.U32(0);
        w._b.AddRange(Encoding.ASCII.GetBytes(ident));
        int pos = w.Write(root);
        w.Patch(0, (uint)pos);
        return (w._b.ToArray(), w);
    }

    private void Align(int a) { while (_b.Count % a != 0) _b.Add(0); }
    private void U32(uint v) { Span<byte> s = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(s, v); _b.AddRange(s.ToArray()); }
    private void U16(ushort v) { _b.Add((byte)v); _b.Add((byte)(v >> 8)); }
    private void Patch(int at, uint v) { for (int i = 0; i < 4; i++) _b[at + i] = (byte)(v >> (8 * i)); }

    private int Write(object o)
    {
        if (_written.TryGetValue(o, out int p)) return p;
        p = o switch
        {
            FbTable t => WriteTable(t),
            FbVector v => WriteVector(v),
            string s => WriteString(s),
            _ => throw new ArgumentException($"cannot write {o.GetType()}"),
        };
        _written[o] = p;
        return p;
    }

    private int WriteTable(FbTable t)
    {
        int slots = t.Fields.Count == 0 ? 0 : t.Fields.Max(f => f.Slot) + 1;
        int vtSize = 4 + 2 * slots;
        int objSize = 4 + 4 * t.Fields.Count;
        Align(4);
        int vt = _b.Count;
        U16((ushort)vtSize);
        U16((ushort)objSize);
        var offs = new ushort[slots];
        for (int k = 0; k < t.Fields.Count; k++) offs[t.Fields[k].Slot] = (ushort)(4 + 4 * k);
        foreach (var o in offs) U16(o);
        Align(4);
        int table = _b.Count;
        U32((uint)(table - vt));
        var pending = new List<(int At, object Child)>();
        foreach (var (_, value) in t.Fields)
        {
            int at = _b.Count;
            switch (value)
            {
                case int i: U32((uint)i); break;
                case uint u: U32(u); break;
                case float f: U32(BitConverter.SingleToUInt32Bits(f)); break;
                case byte by: U32(by); break;
                case sbyte sb: U32((byte)sb); break;
                case bool bo: U32(bo ? 1u : 0u); break;
                default: U32(0); pending.Add((at, value)); break;
            }
        }
        foreach (var (at, child) in pending) Patch(at, (uint)(Write(child) - at));
        return table;
    }

    private int WriteVector(FbVector v)
    {
        Align(4);
        int start = _b.Count;
        switch (v.Items)
        {
            case int[] a: U32((uint)a.Length); foreach (var x in a) U32((uint)x); break;
            case float[] a: U32((uint)a.Length); foreach (var x in a) U32(BitConverter.SingleToUInt32Bits(x)); break;
            case long[] a: U32((uint)a.Length); foreach (var x in a) { U32((uint)x); U32((uint)(x >> 32)); } break;
            case byte[] a: U32((uint)a.Length); _b.AddRange(a); break;
            case FbTable[] a:
                U32((uint)a.Length);
                int first = _b.Count;
                foreach (var _ in a) U32(0);
                for (int i = 0; i < a.Length; i++) Patch(first + 4 * i, (uint)(Write(a[i]) - (first + 4 * i)));
                break;
            default: throw new ArgumentException($"cannot write vector of {v.Items.GetType()}");
        }
        return start;
    }

    private int WriteString(string s)
    {
        Align(4);
        int start = _b.Count;
        var bytes = Encoding.UTF8.GetBytes(s);
        U32((uint)bytes.Length);
        _b.AddRange(bytes);
        _b.Add(0);
        return start;
    }
}
