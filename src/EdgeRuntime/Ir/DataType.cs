namespace EdgeRuntime.Ir;

/// <summary>Element types. Values match ONNX <c>TensorProto.DataType</c> so importers map 1:1.</summary>
public enum DataType
{
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
}

public static class DataTypeExtensions
{
    public static int SizeInBytes(this DataType t) => t switch
    {
        DataType.Float32 or DataType.Int32 or DataType.UInt32 => 4,
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.UInt16 or DataType.Int16 or DataType.Float16 => 2,
        DataType.Int64 or DataType.Float64 or DataType.UInt64 => 8,
        _ => throw new NotSupportedException($"data type {t} has no fixed element size"),
    };

    public static string ShortName(this DataType t) => t switch
    {
        DataType.Float32 => "f32",
        DataType.UInt8 => "u8",
        DataType.Int8 => "i8",
        DataType.Int16 => "i16",
        DataType.Int32 => "i32",
        DataType.Int64 => "i64",
        DataType.Bool => "bool",
        DataType.Float64 => "f64",
        DataType.Float16 => "f16",
        _ => t.ToString().ToLowerInvariant(),
    };
}
