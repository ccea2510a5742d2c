using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using Attribute = EdgeRuntime.Ir.Attribute;

namespace EdgeRuntime.Import.Onnx;

/// <summary>ONNX ModelProto → <see cref="Graph"/>. Initializers (raw and typed fields) become constant
/// tensors, graph inputs that are not initializers become graph inputs (unknown dims as -1), Constant
/// nodes are folded into constant tensors, and the default-domain opset is recorded. Anything that
/// cannot be represented (external data, string or bfloat16 tensors, sparse initializers) or that is
/// structurally broken (truncated file, undefined tensor names) is a <see cref="ModelException"/>
/// naming the file.</summary>
public static class OnnxImporter
{
    /// <summary>Largest model file read (protobuf messages are limited to 2 GiB anyway).</summary>
    public const long MaxFileBytes = int.MaxValue;

    public static Graph Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelException($"{path}: file not found");
        if (info.Length > MaxFileBytes) throw new ModelException($"{path}: file is {info.Length} bytes, larger than the 2 GiB protobuf limit");
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Import a model from its bytes; <paramref name="source"/> names it in errors.</summary>
    public static Graph Load(ReadOnlySpan<byte> bytes, string source) => Import(ParseModel(bytes, source), source);

    /// <summary>Parse a ModelProto, turning every protobuf decoding error into a ModelException.</summary>
    internal static OnnxModel ParseModel(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length == 0) throw new ModelException($"{source}: empty file, not an ONNX model");
        try
        {
            return OnnxModel.Parse(bytes);
        }
        catch (ProtoWireException e)
        {
            throw new ModelException($"{source}: not a valid ONNX model (truncated or corrupt protobuf: {e.Message})", e);
        }
    }

    /// <summary>Parse a serialized TensorProto (the ONNX test data's input_N.pb / output_N.pb).</summary>
    public static Tensor LoadTensor(string path, string? name = null)
    {
        byte[] bytes = File.ReadAllBytes(path);
        OnnxTensor tp;
        try
        {
            tp = OnnxTensor.Parse(bytes);
        }
        catch (ProtoWireException e)
        {
            throw new ModelException($"{path}: not a valid ONNX TensorProto ({e.Message})", e);
        }
        return ConvertTensor(tp, name ?? tp.Name, path);
    }

    internal static Graph Import(OnnxModel model, string source)
    {
        var gp = model.Graph ?? throw new ModelException($"{source}: the model has no graph (truncated or not an ONNX model)");
        // IR version 3 and later must name their opsets; the list is written after the graph, so a
        // file cut right after the graph would otherwise silently import as opset 1.
        if (model.IrVersion >= 3 && model.OpsetImport.Count == 0)
            throw new ModelException($"{source}: IR version {model.IrVersion} model without opset_import (truncated or corrupt file)");
        var g = new Graph
        {
            Name = gp.Name.Length > 0 ? gp.Name : Path.GetFileNameWithoutExtension(source),
            Source = source,
            Format = "onnx",
            Opset = DefaultOpset(model),
        };
        if (model.ProducerName.Length > 0) g.Metadata["producer"] = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        g.Metadata["ir_version"] = model.IrVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var p in model.MetadataProps) g.Metadata[p.Key] = p.Value;

        if (gp.SparseInitializer.Count > 0)
            throw new ModelException($"{source}: sparse initializers ('{gp.SparseInitializer[0].Values?.Name}') are not supported");
        foreach (var init in gp.Initializer)
        {
            if (init.Name.Length == 0) throw new ModelException($"{source}: an initializer has no name");
            g.Add(ConvertTensor(init, init.Name, source));
        }

        foreach (var vi in gp.Input)
        {
            if (vi.Name.Length == 0) throw new ModelException($"{source}: a graph input has no name");
            if (g.Tensors.ContainsKey(vi.Name)) continue; // an initializer (older models list them as inputs too)
            var (type, shape) = ValueType(vi, source);
            g.Add(new Tensor(vi.Name, type, shape));
            g.Inputs.Add(vi.Name);
        }

        var produced = new HashSet<string>(g.Tensors.Keys, StringComparer.Ordinal);
        int index = 0;
        foreach (var np in gp.Node)
        {
            string where = $"{source}: node {index} ({np.OpType}{(np.Name.Length > 0 ? $" '{np.Name}'" : "")})";
            if (np.OpType.Length == 0) throw new ModelException($"{where}: node has no op_type (truncated or corrupt model)");
            foreach (var input in np.Input)
                if (input.Length > 0 && !produced.Contains(input))
                    throw new ModelException($"{where}: input '{input}' is not a graph input, initializer or output of an earlier node");
            foreach (var output in np.Output)
                if (output.Length > 0 && !produced.Add(output))
                    throw new ModelException($"{where}: output '{output}' is already defined");

            if (IsConstantNode(np))
            {
                if (np.Output.Count != 1 || np.Output[0].Length == 0)
                    throw new ModelException($"{where}: Constant must have exactly one output");
                g.Add(ConstantValue(np, np.Output[0], where));
                index++;
                continue;
            }

            var node = new Node(np.OpType, np.Name, np.Input, np.Output, np.Domain == "ai.onnx" ? "" : np.Domain);
            foreach (var ap in np.Attribute)
            {
                if (ap.Name.Length == 0) throw new ModelException($"{where}: an attribute has no name");
                if (ConvertAttribute(ap, where) is { } a) node.Attributes[ap.Name] = a;
            }
            g.Nodes.Add(node);
            index++;
        }

        foreach (var vi in gp.Output)
        {
            if (vi.Name.Length == 0) throw new ModelException($"{source}: a graph output has no name");
            if (!produced.Contains(vi.Name))
                throw new ModelException($"{source}: graph output '{vi.Name}' is not produced by any node, input or initializer");
            g.Outputs.Add(vi.Name);
        }
        if (g.Outputs.Count == 0) throw new ModelException($"{source}: the graph has no outputs (truncated or empty model)");
        return g;
    }

    /// <summary>Opset of the default (ai.onnx) domain; models without opset_import (IR version &lt; 3) are opset 1.</summary>
    internal static int DefaultOpset(OnnxModel model)
    {
        foreach (var o in model.OpsetImport)
            if (o.Domain is "" or "ai.onnx")
                return o.Version is > 0 and <= int.MaxValue ? (int)o.Version : 1;
        return 1;
    }

    private static bool IsConstantNode(OnnxNode np) => np.OpType == "Constant" && np.Domain is "" or "ai.onnx";

    /// <summary>The value of a Constant node (value, value_float(s), value_int(s); opset 1..19).</summary>
    private static Tensor ConstantValue(OnnxNode np, string name, string where)
    {
        if (np.Attribute.Count != 1)
            throw new ModelException($"{where}: Constant needs exactly one value attribute, has {np.Attribute.Count}");
        var a = np.Attribute[0];
        return a.Name switch
        {
            "value" when a.T is not null => ConvertTensor(a.T, name, where),
            "value_float" => Tensor.FromFloats(name, [], [a.F]),
            "value_floats" => Tensor.FromFloats(name, [a.Floats.Count], a.Floats.ToArray()),
            "value_int" => Tensor.FromInt64s(name, [], [a.I]),
            "value_ints" => Tensor.FromInt64s(name, [a.Ints.Count], a.Ints.ToArray()),
            "value_string" or "value_strings" => throw new ModelException($"{where}: string constants are not supported"),
            "sparse_value" => throw new ModelException($"{where}: sparse constants are not supported"),
            _ => throw new ModelException($"{where}: Constant has unknown attribute '{a.Name}'"),
        };
    }

    private static Attribute? ConvertAttribute(OnnxAttribute ap, string where)
    {
        var kind = ap.Type;
        if (kind == OnnxAttributeType.Undefined)
        {
            // IR version 1 files may leave the type out: infer it from the field that is set.
            if (ap.Floats.Count > 0) kind = OnnxAttributeType.Floats;
            else if (ap.Ints.Count > 0) kind = OnnxAttributeType.Ints;
            else if (ap.Strings.Count > 0) kind = OnnxAttributeType.Strings;
            else if (ap.T is not null) kind = OnnxAttributeType.Tensor;
            else if (ap.G is not null) kind = OnnxAttributeType.Graph;
            else if (ap.HasS) kind = OnnxAttributeType.String;
            else if (ap.HasF) kind = OnnxAttributeType.Float;
            else if (ap.HasI) kind = OnnxAttributeType.Int;
            else throw new ModelException($"{where}: attribute '{ap.Name}' has no type and no value");
        }
        return kind switch
        {
            OnnxAttributeType.Float => Attribute.Of(ap.F),
            OnnxAttributeType.Int => Attribute.Of(ap.I),
            OnnxAttributeType.String => Attribute.Of(ap.SString),
            OnnxAttributeType.Floats => Attribute.Of(ap.Floats.ToArray()),
            OnnxAttributeType.Ints => Attribute.Of(ap.Ints.ToArray()),
            OnnxAttributeType.Strings => Attribute.Of(ap.Strings.Select(s => System.Text.Encoding.UTF8.GetString(s)).ToArray()),
            OnnxAttributeType.Tensor => Attribute.Of(ConvertTensor(
                ap.T ?? throw new ModelException($"{where}: tensor attribute '{ap.Name}' has no value"), ap.T.Name, where)),
            // Subgraphs (If/Loop/Scan bodies) have no IR form; the op itself is reported unsupported.
            OnnxAttributeType.Graph => new Attribute { Kind = AttributeKind.Graph },
            _ => null, // TENSORS / GRAPHS / SPARSE_TENSOR(S) / TYPE_PROTO(S): no operator we implement reads them
        };
    }

    private static (DataType, int[]) ValueType(OnnxValueInfo vi, string source)
    {
        var tt = vi.Type?.TensorType
            ?? throw new ModelException($"{source}: graph input '{vi.Name}' is not a tensor (sequence, map or optional types are not supported)");
        var type = MapType(tt.ElemType, $"{source}: input '{vi.Name}'");
        if (tt.Shape is null) return (type, [-1]); // rank unknown: must be given at compile time
        var shape = new int[tt.Shape.Dim.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            var d = tt.Shape.Dim[i];
            shape[i] = d.HasValue && d.DimValue is >= 0 and <= int.MaxValue
                ? (int)d.DimValue : -1;
        }
        return (type, shape);
    }

    /// <summary>ONNX element type code → <see cref="DataType"/>; types with no runtime form are refused.</summary>
    public static DataType MapType(int elemType, string where) => elemType switch
    {
        (int)OnnxDataType.Float => DataType.Float32,
        (int)OnnxDataType.Uint8 => DataType.UInt8,
        (int)OnnxDataType.Int8 => DataType.Int8,
        (int)OnnxDataType.Uint16 => DataType.UInt16,
        (int)OnnxDataType.Int16 => DataType.Int16,
        (int)OnnxDataType.Int32 => DataType.Int32,
        (int)OnnxDataType.Int64 => DataType.Int64,
        (int)OnnxDataType.Bool => DataType.Bool,
        (int)OnnxDataType.Float16 => DataType.Float16,
        (int)OnnxDataType.Double => DataType.Float64,
        (int)OnnxDataType.Uint32 => DataType.UInt32,
        (int)OnnxDataType.Uint64 => DataType.UInt64,
        _ => throw new UnsupportedDataTypeException(where, TypeName(elemType)),
    };

    public static string TypeName(int elemType) =>
        Enum.IsDefined((OnnxDataType)elemType)
            ? ((OnnxDataType)elemType).ToString().ToLowerInvariant()
            : $"type code {elemType}";

    /// <summary>TensorProto → constant <see cref="Tensor"/> (raw_data or the typed repeated fields).</summary>
    internal static Tensor ConvertTensor(OnnxTensor tp, string name, string where)
    {
        string at = $"{where}: tensor '{name}'";
        if (tp.DataLocation == OnnxTensor.DataLocationExternal || tp.ExternalData.Count > 0)
            throw new ModelException($"{at} keeps its data in an external file, which is not supported (re-save the model with the data embedded)");
        if (tp.HasSegment) throw new ModelException($"{at} is segmented, which is not supported");
        var type = MapType(tp.DataType, at);
        var shape = new int[tp.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = tp.Dims[i];
            if (d < 0 || d > int.MaxValue) throw new ModelException($"{at} has invalid dimension {d}");
            shape[i] = (int)d;
            count = checked(count * d);
            if (count > int.MaxValue) throw new ModelException($"{at} is too large ({string.Join("x", tp.Dims)} elements)");
        }
        int size = type.SizeInBytes();
        long bytes = count * size;
        if (bytes > int.MaxValue) throw new ModelException($"{at} is too large ({bytes} bytes)");
        var data = new byte[bytes];

        if (tp.HasRawData)
        {
            if (tp.RawData!.Length != bytes)
                throw new ModelException($"{at}: raw_data has {tp.RawData.Length} bytes, shape [{string.Join(",", shape)}] of {type.ShortName()} needs {bytes} (truncated or corrupt)");
            tp.RawData!.CopyTo(data.AsSpan());
            if (!BitConverter.IsLittleEndian) throw new ModelException($"{at}: big-endian hosts are not supported");
            return new Tensor(name, type, shape, data);
        }

        int n = (int)count;
        switch (type)
        {
            case DataType.Float32:
                Expect(tp.FloatData.Count, n, "float_data", at);
                tp.FloatData.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, float>(data.AsSpan()));
                break;
            case DataType.Float64:
                Expect(tp.DoubleData.Count, n, "double_data", at);
                tp.DoubleData.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, double>(data.AsSpan()));
                break;
            case DataType.Int64:
                Expect(tp.Int64Data.Count, n, "int64_data", at);
                tp.Int64Data.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, long>(data.AsSpan()));
                break;
            case DataType.Int32:
                Expect(tp.Int32Data.Count, n, "int32_data", at);
                tp.Int32Data.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, int>(data.AsSpan()));
                break;
            case DataType.Int16 or DataType.UInt16 or DataType.Float16:
                Expect(tp.Int32Data.Count, n, "int32_data", at);
                for (int i = 0; i < n; i++) MemoryMarshal.Write(data.AsSpan(2 * i), (ushort)tp.Int32Data[i]);
                break;
            case DataType.Int8 or DataType.UInt8 or DataType.Bool:
                Expect(tp.Int32Data.Count, n, "int32_data", at);
                for (int i = 0; i < n; i++) data[i] = (byte)tp.Int32Data[i];
                break;
            case DataType.UInt32:
                Expect(tp.Uint64Data.Count, n, "uint64_data", at);
                for (int i = 0; i < n; i++) MemoryMarshal.Write(data.AsSpan(4 * i), (uint)tp.Uint64Data[i]);
                break;
            case DataType.UInt64:
                Expect(tp.Uint64Data.Count, n, "uint64_data", at);
                tp.Uint64Data.ToArray().AsSpan().CopyTo(MemoryMarshal.Cast<byte, ulong>(data.AsSpan()));
                break;
            default:
                throw new UnsupportedDataTypeException(at, type.ToString());
        }
        return new Tensor(name, type, shape, data);
    }

    private static void Expect(int have, int need, string field, string at)
    {
        if (have != need)
            throw new ModelException($"{at}: {field} has {have} values, its shape needs {need} (truncated or corrupt)");
    }
}
