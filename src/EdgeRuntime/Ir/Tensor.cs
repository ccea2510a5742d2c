namespace EdgeRuntime.Ir;

/// <summary>A value in the graph: a graph input, an intermediate, or a constant (initializer).</summary>
public sealed class Tensor
{
    public Tensor(string name, DataType type, int[] shape, byte[]? constant = null, QuantParams? quant = null)
    {
        Name = name;
        Type = type;
        Shape = shape;
        Constant = constant;
        Quant = quant;
    }

    public string Name { get; }
    public DataType Type { get; set; }
    /// <summary>Static shape; every entry is known after shape inference (no -1 once planned).</summary>
    public int[] Shape { get; set; }
    /// <summary>Raw little-endian element data when this tensor is a compile-time constant.</summary>
    public byte[]? Constant { get; set; }
    public QuantParams? Quant { get; set; }
    /// <summary>Optional layout tag written by weight-packing passes (e.g. "gemm.nk"); null = natural row-major.</summary>
    public string? Layout { get; set; }

    public bool IsConstant => Constant is not null;
    public bool ShapeKnown => Shape.All(d => d >= 0);
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
    public long ByteSize => ElementCount * Type.SizeInBytes();

    public ReadOnlySpan<float> ConstantFloats => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Constant);
    public ReadOnlySpan<long> ConstantInt64s => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(Constant);
    public ReadOnlySpan<int> ConstantInt32s => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(Constant);

    /// <summary>Constant data as int64 values whatever the integer type (for shape-like inputs).</summary>
    public long[] ConstantAsInt64()
    {
        if (Constant is null) throw new ModelException($"tensor '{Name}' is not a constant");
        return Type switch
        {
            DataType.Int64 => ConstantInt64s.ToArray(),
            DataType.Int32 => ConstantInt32s.ToArray().Select(v => (long)v).ToArray(),
            DataType.Int8 => Constant.Select(b => (long)(sbyte)b).ToArray(),
            DataType.UInt8 or DataType.Bool => Constant.Select(b => (long)b).ToArray(),
            DataType.Float32 => ConstantFloats.ToArray().Select(v => (long)v).ToArray(),
            _ => throw new ModelException($"tensor '{Name}': cannot read {Type} as integers"),
        };
    }

    public static Tensor FromFloats(string name, int[] shape, ReadOnlySpan<float> data)
        => new(name, DataType.Float32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).ToArray());

    public static Tensor FromInt64s(string name, int[] shape, ReadOnlySpan<long> data)
        => new(name, DataType.Int64, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data).ToArray());

    public override string ToString() => $"{Name}: {Type.ShortName()}[{string.Join(",", Shape)}]{(IsConstant ? " const" : "")}";
}
