using System.Globalization;
using System.Text;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import;

/// <summary>NumPy <c>.npy</c> files (format versions 1–3, little-endian, C order): read with every
/// header field checked, and written as version 1.0.</summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static (DataType Type, int[] Shape, byte[] Data) Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static (DataType Type, int[] Shape, byte[] Data) Parse(byte[] b, string source)
    {
        ModelException Bad(string what) => new($"{source}: not a valid .npy file: {what}");
        if (b.Length < 10 || !b.AsSpan(0, 6).SequenceEqual(Magic)) throw Bad("missing the \\x93NUMPY magic");
        int major = b[6];
        int headerLen, start;
        if (major == 1) { headerLen = b[8] | (b[9] << 8); start = 10; }
        else if (major is 2 or 3)
        {
            if (b.Length < 12) throw Bad("truncated header");
            long hl = BitConverter.ToUInt32(b, 8);
            if (hl > int.MaxValue) throw Bad("header too long");
            headerLen = (int)hl; start = 12;
        }
        else throw Bad($"unsupported version {major}");
        if (headerLen > b.Length - start) throw Bad("truncated header");
        string header = Encoding.Latin1.GetString(b, start, headerLen);
        string descr = Field(header, "descr") ?? throw Bad("no 'descr'");
        string fortran = Field(header, "fortran_order") ?? "False";
        string shapeText = Field(header, "shape") ?? throw Bad("no 'shape'");
        if (fortran.Trim() != "False") throw Bad("Fortran order is not supported");
        descr = descr.Trim().Trim('\'', '"');
        var type = descr switch
        {
            "<f4" => DataType.Float32, "|i1" or "i1" or "<i1" => DataType.Int8, "|u1" or "u1" or "<u1" => DataType.UInt8,
            "<i2" => DataType.Int16, "<i4" => DataType.Int32, "<i8" => DataType.Int64, "<f8" => DataType.Float64,
            "|b1" => DataType.Bool, "<u2" => DataType.UInt16,
            _ => throw Bad($"dtype '{descr}' is not supported (little-endian only)"),
        };
        var dims = shapeText.Trim().TrimStart('(').TrimEnd(')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i])) throw Bad($"bad shape '{shapeText}'");
            count = checked(count * shape[i]);
        }
        long bytes = count * type.SizeInBytes();
        int dataStart = start + headerLen;
        if (bytes != b.Length - dataStart) throw Bad($"shape ({string.Join(",", shape)}) of {descr} needs {bytes} data bytes, file has {b.Length - dataStart}");
        return (type, shape, b[dataStart..]);
    }

    private static string? Field(string header, string key)
    {
        int k = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (k < 0) return null;
        int colon = header.IndexOf(':', k);
        if (colon < 0) return null;
        int end;
        string rest = header[(colon + 1)..].TrimStart();
        if (rest.StartsWith('('))
        {
            end = rest.IndexOf(')');
            return end < 0 ? null : rest[..(end + 1)];
        }
        end = rest.IndexOfAny([',', '}']);
        return end < 0 ? rest : rest[..end];
    }

    public static void Write(string path, DataType type, int[] shape, ReadOnlySpan<byte> data)
    {
        string descr = type switch
        {
            DataType.Float32 => "<f4", DataType.Int8 => "|i1", DataType.UInt8 => "|u1", DataType.Int16 => "<i2",
            DataType.Int32 => "<i4", DataType.Int64 => "<i8", DataType.Float64 => "<f8", DataType.Bool => "|b1", DataType.UInt16 => "<u2",
            _ => throw new ModelException($"{path}: cannot write {type} as .npy"),
        };
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        using var f = File.Create(path);
        f.Write(Magic);
        f.WriteByte(1); f.WriteByte(0);
        f.WriteByte((byte)header.Length); f.WriteByte((byte)(header.Length >> 8));
        f.Write(Encoding.Latin1.GetBytes(header));
        f.Write(data);
    }
}
