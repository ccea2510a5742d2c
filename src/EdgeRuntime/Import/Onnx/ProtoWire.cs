using System.Buffers.Binary;
using System.Text;

namespace EdgeRuntime.Import.Onnx;

/// <summary>A protobuf wire-format decoding error (truncated data, malformed varint, bad tag or wire
/// type, a length past the end, nesting too deep). The ONNX importer turns it into a
/// <see cref="Ir.ModelException"/> naming the file.</summary>
public sealed class ProtoWireException(string message) : Exception(message);

/// <summary>Protobuf wire types.</summary>
public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>A small, bounds-checked protobuf wire-format reader over a span. Every read checks the
/// remaining bytes; varints are at most 10 bytes and must fit 64 bits; lengths must fit in what is
/// left; unknown fields of every wire type (groups included) can be skipped; nested messages are
/// read through <see cref="ReadMessage{T}"/>, which enforces <see cref="MaxDepth"/>. Every error is a
/// <see cref="ProtoWireException"/>.</summary>
public ref struct ProtoWire
{
    /// <summary>Deepest message nesting accepted (Google.Protobuf's default recursion limit).</summary>
    public const int MaxDepth = 100;

    private readonly ReadOnlySpan<byte> _buf;
    private int _pos;
    private readonly int _depth;

    public ProtoWire(ReadOnlySpan<byte> buffer) : this(buffer, 0) { }

    private ProtoWire(ReadOnlySpan<byte> buffer, int depth)
    {
        _buf = buffer;
        _pos = 0;
        _depth = depth;
    }

    public readonly bool AtEnd => _pos >= _buf.Length;
    public readonly int Remaining => _buf.Length - _pos;
    public readonly int Depth => _depth;

    /// <summary>Read the next tag; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out WireType wire)
    {
        if (AtEnd) { field = 0; wire = 0; return false; }
        ulong tag = ReadVarint();
        if (tag > uint.MaxValue) throw new ProtoWireException($"invalid tag {tag}");
        field = (int)(tag >> 3);
        int w = (int)(tag & 7);
        if (field == 0) throw new ProtoWireException("invalid tag: field number 0");
        if (w > 5) throw new ProtoWireException($"invalid wire type {w} for field {field}");
        wire = (WireType)w;
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (int i = 0; i < 10; i++)
        {
            if (_pos >= _buf.Length) throw new ProtoWireException("truncated varint");
            byte b = _buf[_pos++];
            if (i == 9 && b > 1) throw new ProtoWireException("varint overflows 64 bits");
            result |= (ulong)(b & 0x7f) << (7 * i);
            if (b < 0x80) return result;
        }
        throw new ProtoWireException("malformed varint (more than 10 bytes)");
    }

    public long ReadInt64() => (long)ReadVarint();

    /// <summary>int32 (and enums): negative values are sign-extended 10-byte varints; truncated to 32 bits like protobuf.</summary>
    public int ReadInt32() => (int)ReadVarint();

    public bool ReadBool() => ReadVarint() != 0;

    public uint ReadFixed32()
    {
        if (Remaining < 4) throw new ProtoWireException("truncated fixed32");
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_buf.Slice(_pos, 4));
        _pos += 4;
        return v;
    }

    public ulong ReadFixed64()
    {
        if (Remaining < 8) throw new ProtoWireException("truncated fixed64");
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_buf.Slice(_pos, 8));
        _pos += 8;
        return v;
    }

    public float ReadFloat() => BitConverter.UInt32BitsToSingle(ReadFixed32());
    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    /// <summary>A length-delimited field's bytes; the length is checked against what remains.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong len = ReadVarint();
        if (len > (ulong)Remaining)
            throw new ProtoWireException($"length {len} past the end of the data ({Remaining} bytes left)");
        var s = _buf.Slice(_pos, (int)len);
        _pos += (int)len;
        return s;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Read an embedded message with <paramref name="parse"/>, one nesting level deeper.</summary>
    public T ReadMessage<T>(ProtoParse<T> parse, T target)
    {
        var body = ReadBytes();
        if (_depth + 1 > MaxDepth) throw new ProtoWireException($"messages nested deeper than {MaxDepth} levels");
        var inner = new ProtoWire(body, _depth + 1);
        parse(ref inner, target);
        return target;
    }

    /// <summary>Skip the value of a field with wire type <paramref name="wire"/> (groups up to their end tag).</summary>
    public void Skip(int field, WireType wire)
    {
        switch (wire)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: ReadFixed64(); break;
            case WireType.Fixed32: ReadFixed32(); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.StartGroup: SkipGroup(field); break;
            case WireType.EndGroup: throw new ProtoWireException($"unexpected end-group tag for field {field}");
            default: throw new ProtoWireException($"invalid wire type {(int)wire}");
        }
    }

    private void SkipGroup(int field)
    {
        int depth = 1;
        var open = new Stack<int>();
        open.Push(field);
        while (depth > 0)
        {
            if (_depth + depth > MaxDepth) throw new ProtoWireException($"groups nested deeper than {MaxDepth} levels");
            if (!TryReadTag(out int f, out var w)) throw new ProtoWireException($"truncated group (field {field})");
            if (w == WireType.StartGroup) { open.Push(f); depth++; }
            else if (w == WireType.EndGroup)
            {
                if (open.Pop() != f) throw new ProtoWireException($"end-group tag for field {f} does not match its start");
                depth--;
            }
            else Skip(f, w);
        }
    }

    // Repeated scalars: packed (one length-delimited run) or unpacked (one value per tag) are both accepted.

    public void ReadRepeatedInt64(WireType wire, List<long> into)
    {
        if (wire == WireType.LengthDelimited)
        {
            var inner = new ProtoWire(ReadBytes(), _depth);
            while (!inner.AtEnd) into.Add(inner.ReadInt64());
        }
        else { Expect(wire, WireType.Varint); into.Add(ReadInt64()); }
    }

    public void ReadRepeatedInt32(WireType wire, List<int> into)
    {
        if (wire == WireType.LengthDelimited)
        {
            var inner = new ProtoWire(ReadBytes(), _depth);
            while (!inner.AtEnd) into.Add(inner.ReadInt32());
        }
        else { Expect(wire, WireType.Varint); into.Add(ReadInt32()); }
    }

    public void ReadRepeatedUInt64(WireType wire, List<ulong> into)
    {
        if (wire == WireType.LengthDelimited)
        {
            var inner = new ProtoWire(ReadBytes(), _depth);
            while (!inner.AtEnd) into.Add(inner.ReadVarint());
        }
        else { Expect(wire, WireType.Varint); into.Add(ReadVarint()); }
    }

    public void ReadRepeatedFloat(WireType wire, List<float> into)
    {
        if (wire == WireType.LengthDelimited)
        {
            var body = ReadBytes();
            if (body.Length % 4 != 0) throw new ProtoWireException($"packed float run of {body.Length} bytes is not a multiple of 4");
            into.EnsureCapacity(into.Count + body.Length / 4);
            for (int i = 0; i < body.Length; i += 4)
                into.Add(BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(i, 4))));
        }
        else { Expect(wire, WireType.Fixed32); into.Add(ReadFloat()); }
    }

    public void ReadRepeatedDouble(WireType wire, List<double> into)
    {
        if (wire == WireType.LengthDelimited)
        {
            var body = ReadBytes();
            if (body.Length % 8 != 0) throw new ProtoWireException($"packed double run of {body.Length} bytes is not a multiple of 8");
            into.EnsureCapacity(into.Count + body.Length / 8);
            for (int i = 0; i < body.Length; i += 8)
                into.Add(BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64LittleEndian(body.Slice(i, 8))));
        }
        else { Expect(wire, WireType.Fixed64); into.Add(ReadDouble()); }
    }

    /// <summary>Throw unless a field arrived with the wire type its declaration needs.</summary>
    public static void Expect(WireType got, WireType want)
    {
        if (got != want) throw new ProtoWireException($"wire type {(int)got} where {(int)want} ({want}) was expected");
    }
}

/// <summary>Parses one message body from <paramref name="r"/> into <paramref name="target"/>.</summary>
public delegate void ProtoParse<T>(ref ProtoWire r, T target);
