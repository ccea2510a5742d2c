using System.Text;
using EdgeRuntime.Import.Onnx;

namespace EdgeRuntime.Tests.Import.Onnx;

/// <summary>Minimal protobuf wire-format writer for building test inputs.</summary>
public sealed class ProtoWriter
{
    private readonly MemoryStream _s = new();

    public byte[] ToArray() => _s.ToArray();

    public ProtoWriter Tag(int field, WireType wire) => Varint(((ulong)field << 3) | (uint)wire);

    public ProtoWriter Varint(ulong v)
    {
        while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        _s.WriteByte((byte)v);
        return this;
    }

    public ProtoWriter Raw(params byte[] b) { _s.Write(b); return this; }

    public ProtoWriter VarintField(int field, long v) => Tag(field, WireType.Varint).Varint((ulong)v);
    public ProtoWriter Fixed32Field(int field, uint v) { Tag(field, WireType.Fixed32); Span<byte> b = stackalloc byte[4]; BitConverter.TryWriteBytes(b, v); _s.Write(b); return this; }
    public ProtoWriter Fixed64Field(int field, ulong v) { Tag(field, WireType.Fixed64); Span<byte> b = stackalloc byte[8]; BitConverter.TryWriteBytes(b, v); _s.Write(b); return this; }
    public ProtoWriter FloatField(int field, float v) => Fixed32Field(field, BitConverter.SingleToUInt32Bits(v));
    public ProtoWriter BytesField(int field, ReadOnlySpan<byte> b) { Tag(field, WireType.LengthDelimited).Varint((ulong)b.Length); _s.Write(b); return this; }
    public ProtoWriter StringField(int field, string s) => BytesField(field, Encoding.UTF8.GetBytes(s));
    public ProtoWriter StringFieldIfSet(int field, string s) => s.Length > 0 ? StringField(field, s) : this;
    public ProtoWriter Message(int field, Action<ProtoWriter> body)
    {
        var w = new ProtoWriter();
        body(w);
        return BytesField(field, w.ToArray());
    }

    public ProtoWriter PackedVarints(int field, IEnumerable<ulong> values)
    {
        var w = new ProtoWriter();
        foreach (ulong v in values) w.Varint(v);
        return BytesField(field, w.ToArray());
    }

    public ProtoWriter PackedFixed32(int field, IEnumerable<uint> values)
    {
        var w = new ProtoWriter();
        foreach (uint v in values) w.Raw(BitConverter.GetBytes(v));
        return BytesField(field, w.ToArray());
    }

    public ProtoWriter PackedFixed64(int field, IEnumerable<ulong> values)
    {
        var w = new ProtoWriter();
        foreach (ulong v in values) w.Raw(BitConverter.GetBytes(v));
        return BytesField(field, w.ToArray());
    }
}

/// <summary>Serializes the importer's ONNX classes the way protoc-generated code would (fields in
/// number order; onnx.proto's [packed = true] data fields packed, other repeated scalars unpacked),
/// so tests can build models in code.</summary>
public static class OnnxProtoWriter
{
    public static byte[] ToByteArray(this OnnxModel m) { var w = new ProtoWriter(); Write(w, m); return w.ToArray(); }
    public static byte[] ToByteArray(this OnnxTensor t) { var w = new ProtoWriter(); Write(w, t); return w.ToArray(); }

    private static void Write(ProtoWriter w, OnnxModel m)
    {
        if (m.IrVersion != 0) w.VarintField(1, m.IrVersion);
        w.StringFieldIfSet(2, m.ProducerName);
        w.StringFieldIfSet(3, m.ProducerVersion);
        if (m.Graph is { } g) w.Message(7, x => Write(x, g));
        foreach (var o in m.OpsetImport)
            w.Message(8, x => { x.StringFieldIfSet(1, o.Domain); x.VarintField(2, o.Version); });
        foreach (var p in m.MetadataProps)
            w.Message(14, x => x.StringField(1, p.Key).StringField(2, p.Value));
    }

    private static void Write(ProtoWriter w, OnnxGraph g)
    {
        foreach (var n in g.Node) w.Message(1, x => Write(x, n));
        w.StringFieldIfSet(2, g.Name);
        foreach (var t in g.Initializer) w.Message(5, x => Write(x, t));
        foreach (var v in g.Input) w.Message(11, x => Write(x, v));
        foreach (var v in g.Output) w.Message(12, x => Write(x, v));
        foreach (var s in g.SparseInitializer) w.Message(15, x => { if (s.Values is { } t) x.Message(1, y => Write(y, t)); });
    }

    private static void Write(ProtoWriter w, OnnxNode n)
    {
        foreach (var i in n.Input) w.StringField(1, i);
        foreach (var o in n.Output) w.StringField(2, o);
        w.StringFieldIfSet(3, n.Name);
        w.StringFieldIfSet(4, n.OpType);
        foreach (var a in n.Attribute) w.Message(5, x => Write(x, a));
        w.StringFieldIfSet(7, n.Domain);
    }

    private static void Write(ProtoWriter w, OnnxAttribute a)
    {
        w.StringField(1, a.Name);
        if (a.HasF) w.FloatField(2, a.F);
        if (a.HasI) w.VarintField(3, a.I);
        if (a.S is { } s) w.BytesField(4, s);
        if (a.T is { } t) w.Message(5, x => Write(x, t));
        if (a.G is { } g) w.Message(6, x => Write(x, g));
        foreach (float f in a.Floats) w.FloatField(7, f);
        foreach (long i in a.Ints) w.VarintField(8, i);
        foreach (var b in a.Strings) w.BytesField(9, b);
        foreach (var tt in a.Tensors) w.Message(10, x => Write(x, tt));
        if (a.Type != OnnxAttributeType.Undefined) w.VarintField(20, (long)a.Type);
        w.StringFieldIfSet(21, a.RefAttrName);
    }

    private static void Write(ProtoWriter w, OnnxValueInfo v)
    {
        w.StringFieldIfSet(1, v.Name);
        if (v.Type?.TensorType is { } tt)
            w.Message(2, x => x.Message(1, y =>
            {
                y.VarintField(1, tt.ElemType);
                if (tt.Shape is { } shape)
                    y.Message(2, z =>
                    {
                        foreach (var d in shape.Dim)
                            z.Message(1, q => { if (d.HasValue) q.VarintField(1, d.DimValue); else if (d.DimParam is { } p) q.StringField(2, p); });
                    });
            }));
    }

    private static void Write(ProtoWriter w, OnnxTensor t)
    {
        foreach (long d in t.Dims) w.VarintField(1, d);
        if (t.DataType != 0) w.VarintField(2, t.DataType);
        if (t.FloatData.Count > 0) w.PackedFixed32(4, t.FloatData.Select(BitConverter.SingleToUInt32Bits));
        if (t.Int32Data.Count > 0) w.PackedVarints(5, t.Int32Data.Select(i => (ulong)(long)i));
        foreach (var s in t.StringData) w.BytesField(6, s);
        if (t.Int64Data.Count > 0) w.PackedVarints(7, t.Int64Data.Select(i => (ulong)i));
        w.StringFieldIfSet(8, t.Name);
        if (t.RawData is { } raw) w.BytesField(9, raw);
        if (t.DoubleData.Count > 0) w.PackedFixed64(10, t.DoubleData.Select(BitConverter.DoubleToUInt64Bits));
        if (t.Uint64Data.Count > 0) w.PackedVarints(11, t.Uint64Data);
        foreach (var e in t.ExternalData) w.Message(13, x => x.StringField(1, e.Key).StringField(2, e.Value));
        if (t.DataLocation != 0) w.VarintField(14, t.DataLocation);
    }
}
