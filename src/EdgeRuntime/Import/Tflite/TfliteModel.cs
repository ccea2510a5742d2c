namespace EdgeRuntime.Import.Tflite;

/// <summary>The subset of the TFLite schema (schema.fbs) the importer maps: one model with its
/// operator codes, buffers and subgraphs. Parsed eagerly by <see cref="Parse"/> with every field
/// bounds-checked by <see cref="FlatBufferReader"/>.</summary>
public sealed class TfliteModel
{
    public uint Version { get; init; }
    public string Description { get; init; } = "";
    public required TfliteOperatorCode[] OperatorCodes { get; init; }
    public required TfliteSubGraph[] SubGraphs { get; init; }
    /// <summary>Bytes of each buffer (empty when the buffer has no data).</summary>
    public required byte[][] Buffers { get; init; }

    public static TfliteModel Parse(byte[] file, string source)
    {
        var r = new FlatBufferReader(file, source);
        if (file.Length >= 8 && !(file[4] == 'T' && file[5] == 'F' && file[6] == 'L' && file[7] == '3'))
            throw r.Error("missing the 'TFL3' file identifier (not a TFLite model)");
        var model = r.Root("Model");
        var codes = model.Tables(1, "operator_codes").Select(t => new TfliteOperatorCode(
            Math.Max((int)t.I8(0), t.I32(3)), t.String(1, "custom_code"), t.I32(2, 1))).ToArray();

        var bufferTables = model.Tables(4, "buffers");
        var buffers = new byte[bufferTables.Length][];
        for (int i = 0; i < bufferTables.Length; i++)
        {
            var b = bufferTables[i];
            var (start, n) = b.ByteVector(0, "data");
            if (n > 0) buffers[i] = r.Bytes.Slice((int)start, n).ToArray();
            else
            {
                ulong off = b.U64(1), size = b.U64(2);
                if (off > 1 && size > 0)
                {
                    if (off > (ulong)file.Length || size > (ulong)file.Length - off)
                        throw r.Error($"buffer {i}: external data at offset {off} (+{size} bytes) lies outside the {file.Length}-byte file");
                    buffers[i] = r.Bytes.Slice((int)off, (int)size).ToArray();
                }
                else buffers[i] = [];
            }
        }

        var subgraphs = model.Tables(2, "subgraphs").Select((sg, si) =>
        {
            var tensors = sg.Tables(0, "tensors").Select(t =>
            {
                var q = t.Sub(4, "quantization");
                TfliteQuantization? quant = null;
                if (q is { } qt)
                {
                    var scales = qt.Floats(2, "scale");
                    var zps = qt.Longs(3, "zero_point");
                    if (scales.Length > 0)
                        quant = new TfliteQuantization(scales, zps, qt.I32(6));
                }
                return new TfliteTensor(t.String(3, "name") ?? "", t.Ints(0, "shape"), t.I8(1), t.U32(2), quant);
            }).ToArray();
            var ops = sg.Tables(3, "operators").Select(o => new TfliteOperator(
                o.U32(0), o.Ints(1, "inputs"), o.Ints(2, "outputs"), o.U8(3), o.Sub(4, "builtin_options"))).ToArray();
            return new TfliteSubGraph(sg.String(4, "name") ?? $"subgraph{si}", tensors, sg.Ints(1, "inputs"), sg.Ints(2, "outputs"), ops);
        }).ToArray();

        return new TfliteModel
        {
            Version = model.U32(0),
            Description = model.String(3, "description") ?? "",
            OperatorCodes = codes,
            SubGraphs = subgraphs,
            Buffers = buffers,
        };
    }
}

/// <summary>OperatorCode: builtin code = max(deprecated_builtin_code, builtin_code), as TFLite reads it.</summary>
public sealed record TfliteOperatorCode(int BuiltinCode, string? CustomCode, int Version);

public sealed record TfliteQuantization(float[] Scales, long[] ZeroPoints, int QuantizedDimension);

public sealed record TfliteTensor(string Name, int[] Shape, sbyte Type, uint Buffer, TfliteQuantization? Quant);

/// <summary>An operator with its builtin options table (read lazily by the importer per op type).</summary>
public sealed record TfliteOperator(uint OpcodeIndex, int[] Inputs, int[] Outputs, byte OptionsType, FlatBufferReader.Table? Options);

public sealed record TfliteSubGraph(string Name, TfliteTensor[] Tensors, int[] Inputs, int[] Outputs, TfliteOperator[] Operators);
