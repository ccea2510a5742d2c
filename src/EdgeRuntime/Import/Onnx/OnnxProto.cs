using System.Text;

namespace EdgeRuntime.Import.Onnx;

// The parts of onnx.proto (proto2) the importer and the conformance suite read, as plain classes
// filled by ProtoWire. Field numbers are onnx.proto's; fields not listed here are skipped. Like
// protobuf, a non-repeated message field seen twice is merged, a scalar seen twice keeps the last
// value, and a field arriving with an unexpected wire type is skipped as unknown.

/// <summary>ONNX TensorProto.DataType codes.</summary>
public enum OnnxDataType
{
    Undefined = 0, Float = 1, Uint8 = 2, Int8 = 3, Uint16 = 4, Int16 = 5, Int32 = 6, Int64 = 7,
    String = 8, Bool = 9, Float16 = 10, Double = 11, Uint32 = 12, Uint64 = 13, Complex64 = 14,
    Complex128 = 15, Bfloat16 = 16,
    // Later codes (float8, int4...) are named "type code N" in messages.
}

/// <summary>ONNX AttributeProto.AttributeType codes.</summary>
public enum OnnxAttributeType
{
    Undefined = 0, Float = 1, Int = 2, String = 3, Tensor = 4, Graph = 5, SparseTensor = 11,
    TypeProto = 13, Floats = 6, Ints = 7, Strings = 8, Tensors = 9, Graphs = 10, SparseTensors = 12,
    TypeProtos = 14,
}

/// <summary>Which of TypeProto's value oneof is set.</summary>
public enum OnnxTypeCase { None = 0, TensorType = 1, SequenceType = 4, MapType = 5, OptionalType = 9, SparseTensorType = 8 }

public sealed class OnnxModel
{
    public long IrVersion { get; set; }
    public string ProducerName { get; set; } = "";
    public string ProducerVersion { get; set; } = "";
    public OnnxGraph? Graph { get; set; }
    public List<OnnxOpsetId> OpsetImport { get; } = [];
    public List<KeyValuePair<string, string>> MetadataProps { get; } = [];

    /// <summary>Decode a serialized ModelProto; throws <see cref="ProtoWireException"/>.</summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoWire(bytes);
        var m = new OnnxModel();
        Read(ref r, m);
        return m;
    }

    internal static void Read(ref ProtoWire r, OnnxModel m)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.Varint: m.IrVersion = r.ReadInt64(); break;
                case 2 when w == WireType.LengthDelimited: m.ProducerName = r.ReadString(); break;
                case 3 when w == WireType.LengthDelimited: m.ProducerVersion = r.ReadString(); break;
                case 7 when w == WireType.LengthDelimited: m.Graph = r.ReadMessage(OnnxGraph.Read, m.Graph ?? new OnnxGraph()); break;
                case 8 when w == WireType.LengthDelimited: m.OpsetImport.Add(r.ReadMessage(OnnxOpsetId.Read, new OnnxOpsetId())); break;
                case 14 when w == WireType.LengthDelimited:
                {
                    var e = r.ReadMessage(OnnxStringEntry.Read, new OnnxStringEntry());
                    m.MetadataProps.Add(new(e.Key, e.Value));
                    break;
                }
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxOpsetId
{
    public string Domain { get; set; } = "";
    public long Version { get; set; }

    internal static void Read(ref ProtoWire r, OnnxOpsetId o)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.LengthDelimited: o.Domain = r.ReadString(); break;
                case 2 when w == WireType.Varint: o.Version = r.ReadInt64(); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxStringEntry
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";

    internal static void Read(ref ProtoWire r, OnnxStringEntry e)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.LengthDelimited: e.Key = r.ReadString(); break;
                case 2 when w == WireType.LengthDelimited: e.Value = r.ReadString(); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxGraph
{
    public string Name { get; set; } = "";
    public List<OnnxNode> Node { get; } = [];
    public List<OnnxTensor> Initializer { get; } = [];
    public List<OnnxSparseTensor> SparseInitializer { get; } = [];
    public List<OnnxValueInfo> Input { get; } = [];
    public List<OnnxValueInfo> Output { get; } = [];

    internal static void Read(ref ProtoWire r, OnnxGraph g)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            if (w != WireType.LengthDelimited) { r.Skip(f, w); continue; }
            switch (f)
            {
                case 1: g.Node.Add(r.ReadMessage(OnnxNode.Read, new OnnxNode())); break;
                case 2: g.Name = r.ReadString(); break;
                case 5: g.Initializer.Add(r.ReadMessage(OnnxTensor.Read, new OnnxTensor())); break;
                case 11: g.Input.Add(r.ReadMessage(OnnxValueInfo.Read, new OnnxValueInfo())); break;
                case 12: g.Output.Add(r.ReadMessage(OnnxValueInfo.Read, new OnnxValueInfo())); break;
                case 15: g.SparseInitializer.Add(r.ReadMessage(OnnxSparseTensor.Read, new OnnxSparseTensor())); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

/// <summary>SparseTensorProto: only its values tensor is kept (the importer refuses sparse tensors, naming it).</summary>
public sealed class OnnxSparseTensor
{
    public OnnxTensor? Values { get; set; }

    internal static void Read(ref ProtoWire r, OnnxSparseTensor s)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            if (f == 1 && w == WireType.LengthDelimited) s.Values = r.ReadMessage(OnnxTensor.Read, s.Values ?? new OnnxTensor());
            else r.Skip(f, w);
        }
    }
}

public sealed class OnnxNode
{
    public List<string> Input { get; } = [];
    public List<string> Output { get; } = [];
    public string Name { get; set; } = "";
    public string OpType { get; set; } = "";
    public string Domain { get; set; } = "";
    public List<OnnxAttribute> Attribute { get; } = [];

    internal static void Read(ref ProtoWire r, OnnxNode n)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            if (w != WireType.LengthDelimited) { r.Skip(f, w); continue; }
            switch (f)
            {
                case 1: n.Input.Add(r.ReadString()); break;
                case 2: n.Output.Add(r.ReadString()); break;
                case 3: n.Name = r.ReadString(); break;
                case 4: n.OpType = r.ReadString(); break;
                case 5: n.Attribute.Add(r.ReadMessage(OnnxAttribute.Read, new OnnxAttribute())); break;
                case 7: n.Domain = r.ReadString(); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxAttribute
{
    public string Name { get; set; } = "";
    public string RefAttrName { get; set; } = "";
    public OnnxAttributeType Type { get; set; }
    private float _f;
    private long _i;

    public float F { get => _f; set { _f = value; HasF = true; } }
    public long I { get => _i; set { _i = value; HasI = true; } }
    /// <summary>The string value's bytes; null when the field is absent.</summary>
    public byte[]? S { get; set; }
    public OnnxTensor? T { get; set; }
    public OnnxGraph? G { get; set; }
    public List<float> Floats { get; } = [];
    public List<long> Ints { get; } = [];
    public List<byte[]> Strings { get; } = [];
    public List<OnnxTensor> Tensors { get; } = [];
    public List<OnnxGraph> Graphs { get; } = [];
    public bool HasF { get; private set; }
    public bool HasI { get; private set; }
    public bool HasS => S is not null;

    public string SString => S is null ? "" : Encoding.UTF8.GetString(S);

    internal static void Read(ref ProtoWire r, OnnxAttribute a)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.LengthDelimited: a.Name = r.ReadString(); break;
                case 2 when w == WireType.Fixed32: a.F = r.ReadFloat(); break;
                case 3 when w == WireType.Varint: a.I = r.ReadInt64(); break;
                case 4 when w == WireType.LengthDelimited: a.S = r.ReadBytes().ToArray(); break;
                case 5 when w == WireType.LengthDelimited: a.T = r.ReadMessage(OnnxTensor.Read, a.T ?? new OnnxTensor()); break;
                case 6 when w == WireType.LengthDelimited: a.G = r.ReadMessage(OnnxGraph.Read, a.G ?? new OnnxGraph()); break;
                case 7 when w is WireType.Fixed32 or WireType.LengthDelimited: r.ReadRepeatedFloat(w, a.Floats); break;
                case 8 when w is WireType.Varint or WireType.LengthDelimited: r.ReadRepeatedInt64(w, a.Ints); break;
                case 9 when w == WireType.LengthDelimited: a.Strings.Add(r.ReadBytes().ToArray()); break;
                case 10 when w == WireType.LengthDelimited: a.Tensors.Add(r.ReadMessage(OnnxTensor.Read, new OnnxTensor())); break;
                case 11 when w == WireType.LengthDelimited: a.Graphs.Add(r.ReadMessage(OnnxGraph.Read, new OnnxGraph())); break;
                case 20 when w == WireType.Varint: a.Type = (OnnxAttributeType)r.ReadInt32(); break;
                case 21 when w == WireType.LengthDelimited: a.RefAttrName = r.ReadString(); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxValueInfo
{
    public string Name { get; set; } = "";
    public OnnxType? Type { get; set; }

    internal static void Read(ref ProtoWire r, OnnxValueInfo v)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.LengthDelimited: v.Name = r.ReadString(); break;
                case 2 when w == WireType.LengthDelimited: v.Type = r.ReadMessage(OnnxType.Read, v.Type ?? new OnnxType()); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

/// <summary>TypeProto: the tensor type in full; the other kinds only as which one is set.</summary>
public sealed class OnnxType
{
    private OnnxTensorType? _tensor;

    public OnnxTypeCase ValueCase { get; set; }

    public OnnxTensorType? TensorType
    {
        get => ValueCase == OnnxTypeCase.TensorType ? _tensor : null;
        set { _tensor = value; ValueCase = value is null ? OnnxTypeCase.None : OnnxTypeCase.TensorType; }
    }

    internal static void Read(ref ProtoWire r, OnnxType t)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            if (w != WireType.LengthDelimited) { r.Skip(f, w); continue; }
            switch (f)
            {
                case 1:
                    t.TensorType = r.ReadMessage(OnnxTensorType.Read, t.TensorType ?? new OnnxTensorType());
                    break;
                case 4 or 5 or 8 or 9:
                    // Sequence, map, sparse tensor, optional: checked for well-formedness, kept as the case only.
                    r.ReadMessage(SkipAll, 0);
                    t._tensor = null;
                    t.ValueCase = (OnnxTypeCase)f;
                    break;
                default: r.Skip(f, w); break;
            }
        }
    }

    private static void SkipAll(ref ProtoWire r, int _)
    {
        while (r.TryReadTag(out int f, out var w)) r.Skip(f, w);
    }
}

public sealed class OnnxTensorType
{
    public int ElemType { get; set; }
    public OnnxShape? Shape { get; set; }

    internal static void Read(ref ProtoWire r, OnnxTensorType t)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.Varint: t.ElemType = r.ReadInt32(); break;
                case 2 when w == WireType.LengthDelimited: t.Shape = r.ReadMessage(OnnxShape.Read, t.Shape ?? new OnnxShape()); break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxShape
{
    public List<OnnxDim> Dim { get; } = [];

    internal static void Read(ref ProtoWire r, OnnxShape s)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            if (f == 1 && w == WireType.LengthDelimited) s.Dim.Add(r.ReadMessage(OnnxDim.Read, new OnnxDim()));
            else r.Skip(f, w);
        }
    }
}

/// <summary>TensorShapeProto.Dimension: a known size (dim_value) or a symbolic one (dim_param); the last one read wins.</summary>
public sealed class OnnxDim
{
    public bool HasValue { get; private set; }
    public long DimValue { get; private set; }
    public string? DimParam { get; private set; }

    public static OnnxDim Of(long value) => new() { HasValue = true, DimValue = value };
    public static OnnxDim Param(string name) => new() { DimParam = name };

    internal static void Read(ref ProtoWire r, OnnxDim d)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w == WireType.Varint: d.DimValue = r.ReadInt64(); d.HasValue = true; d.DimParam = null; break;
                case 2 when w == WireType.LengthDelimited: d.DimParam = r.ReadString(); d.HasValue = false; d.DimValue = 0; break;
                default: r.Skip(f, w); break;
            }
        }
    }
}

public sealed class OnnxTensor
{
    public const int DataLocationDefault = 0;
    public const int DataLocationExternal = 1;

    public List<long> Dims { get; } = [];
    public int DataType { get; set; }
    /// <summary>Set when the segment field is present (segmented tensors are refused).</summary>
    public bool HasSegment { get; set; }
    public List<float> FloatData { get; } = [];
    public List<int> Int32Data { get; } = [];
    public List<byte[]> StringData { get; } = [];
    public List<long> Int64Data { get; } = [];
    public string Name { get; set; } = "";
    /// <summary>raw_data; null when the field is absent.</summary>
    public byte[]? RawData { get; set; }
    public bool HasRawData => RawData is not null;
    public List<KeyValuePair<string, string>> ExternalData { get; } = [];
    public int DataLocation { get; set; }
    public List<double> DoubleData { get; } = [];
    public List<ulong> Uint64Data { get; } = [];

    /// <summary>Decode a serialized TensorProto; throws <see cref="ProtoWireException"/>.</summary>
    public static OnnxTensor Parse(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoWire(bytes);
        var t = new OnnxTensor();
        Read(ref r, t);
        return t;
    }

    internal static void Read(ref ProtoWire r, OnnxTensor t)
    {
        while (r.TryReadTag(out int f, out var w))
        {
            switch (f)
            {
                case 1 when w is WireType.Varint or WireType.LengthDelimited: r.ReadRepeatedInt64(w, t.Dims); break;
                case 2 when w == WireType.Varint: t.DataType = r.ReadInt32(); break;
                case 3 when w == WireType.LengthDelimited: r.ReadMessage(SkipSegment, 0); t.HasSegment = true; break;
                case 4 when w is WireType.Fixed32 or WireType.LengthDelimited: r.ReadRepeatedFloat(w, t.FloatData); break;
                case 5 when w is WireType.Varint or WireType.LengthDelimited: r.ReadRepeatedInt32(w, t.Int32Data); break;
                case 6 when w == WireType.LengthDelimited: t.StringData.Add(r.ReadBytes().ToArray()); break;
                case 7 when w is WireType.Varint or WireType.LengthDelimited: r.ReadRepeatedInt64(w, t.Int64Data); break;
                case 8 when w == WireType.LengthDelimited: t.Name = r.ReadString(); break;
                case 9 when w == WireType.LengthDelimited: t.RawData = r.ReadBytes().ToArray(); break;
                case 10 when w is WireType.Fixed64 or WireType.LengthDelimited: r.ReadRepeatedDouble(w, t.DoubleData); break;
                case 11 when w is WireType.Varint or WireType.LengthDelimited: r.ReadRepeatedUInt64(w, t.Uint64Data); break;
                case 13 when w == WireType.LengthDelimited:
                {
                    var e = r.ReadMessage(OnnxStringEntry.Read, new OnnxStringEntry());
                    t.ExternalData.Add(new(e.Key, e.Value));
                    break;
                }
                case 14 when w == WireType.Varint: t.DataLocation = r.ReadInt32(); break;
                default: r.Skip(f, w); break;
            }
        }
    }

    private static void SkipSegment(ref ProtoWire r, int _)
    {
        while (r.TryReadTag(out int f, out var w)) r.Skip(f, w);
    }
}
