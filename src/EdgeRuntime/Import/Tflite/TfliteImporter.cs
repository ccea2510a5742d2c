using EdgeRuntime.Ir;
using Attribute = EdgeRuntime.Ir.Attribute;

namespace EdgeRuntime.Import.Tflite;

/// <summary>TFLite flatbuffer → <see cref="Graph"/>. The NHWC layout is kept and every TFLite
/// builtin becomes a node of domain "tflite" named after the builtin (e.g. "tflite:CONV_2D"), with
/// its builtin options as attributes and tensor quantization in <see cref="Tensor.Quant"/>.</summary>
public static class TfliteImporter
{
    public const string Domain = "tflite";

    private static readonly Dictionary<int, string> s_builtins = new()
    {
        [0] = "ADD", [1] = "AVERAGE_POOL_2D", [2] = "CONCATENATION", [3] = "CONV_2D", [4] = "DEPTHWISE_CONV_2D",
        [6] = "DEQUANTIZE", [9] = "FULLY_CONNECTED", [14] = "LOGISTIC", [17] = "MAX_POOL_2D", [18] = "MUL",
        [19] = "RELU", [21] = "RELU6", [22] = "RESHAPE", [25] = "SOFTMAX", [28] = "TANH", [34] = "PAD",
        [40] = "MEAN", [41] = "SUB", [114] = "QUANTIZE",
    };

    public static Graph Load(string path) => Import(File.ReadAllBytes(path), path);

    public static Graph Import(byte[] file, string source)
    {
        var model = TfliteModel.Parse(file, source);
        if (model.SubGraphs.Length == 0) throw new ModelException($"{source}: the model has no subgraph");
        var sg = model.SubGraphs[0];
        var g = new Graph { Name = Path.GetFileNameWithoutExtension(source), Source = source, Format = "tflite" };
        g.Metadata["tflite.schema_version"] = model.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (model.Description.Length > 0) g.Metadata["tflite.description"] = model.Description;
        if (model.SubGraphs.Length > 1) g.Metadata["tflite.subgraphs"] = $"{model.SubGraphs.Length} (only the first is run)";

        var names = new string[sg.Tensors.Length];
        for (int i = 0; i < sg.Tensors.Length; i++)
        {
            var t = sg.Tensors[i];
            string what = $"{source}: tensor {i} '{t.Name}'";
            var type = MapType(t.Type, what);
            string name = g.UniqueName(t.Name.Length > 0 ? t.Name : $"tensor{i}");
            names[i] = name;
            foreach (int d in t.Shape)
                if (d < 0) throw new ModelException($"{what}: negative dimension in shape [{string.Join(",", t.Shape)}]");
            byte[]? data = null;
            if (t.Buffer != 0)
            {
                if (t.Buffer >= model.Buffers.Length)
                    throw new ModelException($"{what}: buffer index {t.Buffer} out of range ({model.Buffers.Length} buffers)");
                var b = model.Buffers[t.Buffer];
                if (b.Length > 0)
                {
                    long expect = t.Shape.Aggregate(1L, (a, d) => a * d) * type.SizeInBytes();
                    if (b.Length != expect)
                        throw new ModelException($"{what}: buffer {t.Buffer} has {b.Length} bytes, shape [{string.Join(",", t.Shape)}] of {type.ShortName()} needs {expect}");
                    data = b;
                }
            }
            QuantParams? quant = null;
            if (t.Quant is { } q)
            {
                var zps = q.ZeroPoints.Length == q.Scales.Length ? q.ZeroPoints
                    : q.ZeroPoints.Length == 0 ? new long[q.Scales.Length]
                    : throw new ModelException($"{what}: {q.Scales.Length} scales but {q.ZeroPoints.Length} zero points");
                if (q.Scales.Length > 1 && (q.QuantizedDimension < 0 || q.QuantizedDimension >= t.Shape.Length || t.Shape[q.QuantizedDimension] != q.Scales.Length))
                    throw new ModelException($"{what}: {q.Scales.Length} per-channel scales do not match dimension {q.QuantizedDimension} of [{string.Join(",", t.Shape)}]");
                foreach (float s in q.Scales)
                    if (!(s > 0) || !float.IsFinite(s)) throw new ModelException($"{what}: quantization scale {s} is not a positive finite number");
                quant = new QuantParams(q.Scales, zps, q.QuantizedDimension);
            }
            g.Add(new Tensor(name, type, (int[])t.Shape.Clone(), data, quant));
        }

        string Name(int index, string what)
        {
            if (index < 0 || index >= names.Length) throw new ModelException($"{source}: {what} refers to tensor {index}, out of range (0..{names.Length - 1})");
            return names[index];
        }

        foreach (int i in sg.Inputs) g.Inputs.Add(Name(i, "subgraph input"));
        foreach (int i in sg.Outputs) g.Outputs.Add(Name(i, "subgraph output"));

        for (int k = 0; k < sg.Operators.Length; k++)
        {
            var op = sg.Operators[k];
            if (op.OpcodeIndex >= model.OperatorCodes.Length)
                throw new ModelException($"{source}: operator {k}: opcode index {op.OpcodeIndex} out of range ({model.OperatorCodes.Length} codes)");
            var code = model.OperatorCodes[op.OpcodeIndex];
            string opType = code.BuiltinCode == 32 && code.CustomCode is { } cc ? $"CUSTOM_{cc}"
                : s_builtins.TryGetValue(code.BuiltinCode, out var n) ? n : $"BUILTIN_{code.BuiltinCode}";
            var inputs = op.Inputs.Select(i => i < 0 ? "" : Name(i, $"operator {k} ({opType}) input"));
            var outputs = op.Outputs.Select(i => Name(i, $"operator {k} ({opType}) output")).ToList();
            var node = new Node(opType, outputs.FirstOrDefault() ?? $"op{k}", inputs, outputs, Domain);
            ReadOptions(node, op.Options);
            g.Nodes.Add(node);
        }
        return g;
    }

    private static void ReadOptions(Node node, FlatBufferReader.Table? options)
    {
        var o = options;
        string Act(sbyte a) => a switch { 0 => "NONE", 1 => "RELU", 2 => "RELU_N1_TO_1", 3 => "RELU6", 4 => "TANH", 5 => "SIGN_BIT", _ => $"ACT_{a}" };
        string Pad(byte p) => p switch { 0 => "SAME", 1 => "VALID", _ => $"PAD_{p}" };
        switch (node.OpType)
        {
            case "CONV_2D":
                node.Set("padding", Attribute.Of(Pad(o?.U8(0) ?? 0)));
                node.Set("stride_w", Attribute.Of(o?.I32(1) ?? 0));
                node.Set("stride_h", Attribute.Of(o?.I32(2) ?? 0));
                node.Set("activation", Attribute.Of(Act(o?.I8(3) ?? 0)));
                node.Set("dilation_w", Attribute.Of(o?.I32(4, 1) ?? 1));
                node.Set("dilation_h", Attribute.Of(o?.I32(5, 1) ?? 1));
                break;
            case "DEPTHWISE_CONV_2D":
                node.Set("padding", Attribute.Of(Pad(o?.U8(0) ?? 0)));
                node.Set("stride_w", Attribute.Of(o?.I32(1) ?? 0));
                node.Set("stride_h", Attribute.Of(o?.I32(2) ?? 0));
                node.Set("depth_multiplier", Attribute.Of(o?.I32(3) ?? 0));
                node.Set("activation", Attribute.Of(Act(o?.I8(4) ?? 0)));
                node.Set("dilation_w", Attribute.Of(o?.I32(5, 1) ?? 1));
                node.Set("dilation_h", Attribute.Of(o?.I32(6, 1) ?? 1));
                break;
            case "AVERAGE_POOL_2D" or "MAX_POOL_2D":
                node.Set("padding", Attribute.Of(Pad(o?.U8(0) ?? 0)));
                node.Set("stride_w", Attribute.Of(o?.I32(1) ?? 0));
                node.Set("stride_h", Attribute.Of(o?.I32(2) ?? 0));
                node.Set("filter_w", Attribute.Of(o?.I32(3) ?? 0));
                node.Set("filter_h", Attribute.Of(o?.I32(4) ?? 0));
                node.Set("activation", Attribute.Of(Act(o?.I8(5) ?? 0)));
                break;
            case "FULLY_CONNECTED":
                node.Set("activation", Attribute.Of(Act(o?.I8(0) ?? 0)));
                node.Set("weights_format", Attribute.Of(o?.U8(1) ?? 0));
                node.Set("keep_num_dims", Attribute.Of(o is { } f && f.Bool(2) ? 1 : 0));
                break;
            case "SOFTMAX":
                node.Set("beta", Attribute.Of(o?.F32(0) ?? 0f));
                break;
            case "ADD" or "SUB" or "MUL":
                node.Set("activation", Attribute.Of(Act(o?.I8(0) ?? 0)));
                break;
            case "RESHAPE":
                if (o is { } r && r.Has(0)) node.Set("new_shape", Attribute.Of(r.Ints(0, "new_shape").Select(v => (long)v).ToArray()));
                break;
        }
    }

    private static DataType MapType(sbyte t, string what) => t switch
    {
        0 => DataType.Float32,
        1 => DataType.Float16,
        2 => DataType.Int32,
        3 => DataType.UInt8,
        4 => DataType.Int64,
        6 => DataType.Bool,
        7 => DataType.Int16,
        9 => DataType.Int8,
        10 => DataType.Float64,
        _ => throw new ModelException($"{what}: unsupported TFLite tensor type {t}"),
    };
}
