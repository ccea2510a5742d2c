using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Quantization;

/// <summary>Calibration inputs from a folder: raw little-endian float32 (<c>.bin</c>/<c>.raw</c>/<c>.f32</c>),
/// float32 <c>.npy</c>, or <c>.wav</c> (PCM 16-bit or float32; channels interleaved as stored, the
/// first <c>elements</c> samples used). Every file must provide at least the model input's elements.</summary>
public static class CalibrationData
{
    public static List<float[]> Load(string dir, long elements, int maxFiles)
    {
        if (!System.IO.Directory.Exists(dir)) throw new ModelException($"calibration folder '{dir}' not found");
        var files = System.IO.Directory.EnumerateFiles(dir)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".bin" or ".raw" or ".f32" or ".npy" or ".wav")
            .Order(StringComparer.Ordinal).Take(maxFiles).ToList();
        if (files.Count == 0) throw new ModelException($"calibration folder '{dir}' has no .bin, .npy or .wav file");
        var list = new List<float[]>();
        foreach (var f in files)
        {
            float[] v = Path.GetExtension(f).ToLowerInvariant() switch
            {
                ".npy" => Npy(f),
                ".wav" => Wav(f),
                _ => Raw(f),
            };
            if (v.Length < elements) throw new ModelException($"{f}: {v.Length} values, the model input needs {elements}");
            if (Path.GetExtension(f).ToLowerInvariant() is not ".wav" && v.Length != elements)
                throw new ModelException($"{f}: {v.Length} values, the model input needs exactly {elements}");
            list.Add(v[..(int)elements]);
        }
        return list;
    }

    private static float[] Raw(string f)
    {
        var b = File.ReadAllBytes(f);
        if (b.Length % 4 != 0) throw new ModelException($"{f}: {b.Length} bytes is not a whole number of float32 values");
        return MemoryMarshal.Cast<byte, float>(b).ToArray();
    }

    private static float[] Npy(string f)
    {
        var (type, _, data) = NpyFile.Read(f);
        if (type != DataType.Float32) throw new ModelException($"{f}: calibration .npy must be float32, is {type.ShortName()}");
        return MemoryMarshal.Cast<byte, float>(data).ToArray();
    }

    private static float[] Wav(string f)
    {
        var b = File.ReadAllBytes(f);
        ModelException Bad(string what) => new($"{f}: not a usable WAV file: {what}");
        if (b.Length < 12 || Encoding.ASCII.GetString(b, 0, 4) != "RIFF" || Encoding.ASCII.GetString(b, 8, 4) != "WAVE") throw Bad("no RIFF/WAVE header");
        int format = -1, bits = 0;
        for (long p = 12; p + 8 <= b.Length;)
        {
            string id = Encoding.ASCII.GetString(b, (int)p, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)p + 4));
            long body = p + 8;
            if (size > b.Length - body) size = b.Length - body;
            if (id == "fmt " && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)body));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)body + 14));
                if (format == 0xFFFE && size >= 26) format = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)body + 24));
            }
            else if (id == "data")
            {
                var d = b.AsSpan((int)body, (int)size);
                if (format == 1 && bits == 16)
                {
                    var s = MemoryMarshal.Cast<byte, short>(d[..(d.Length / 2 * 2)]);
                    var r = new float[s.Length];
                    for (int i = 0; i < r.Length; i++) r[i] = s[i] / 32768f;
                    return r;
                }
                if (format == 3 && bits == 32) return MemoryMarshal.Cast<byte, float>(d[..(d.Length / 4 * 4)]).ToArray();
                throw Bad($"format {format} with {bits} bits (PCM 16-bit or float32 only)");
            }
            p = body + size + (size & 1);
        }
        throw Bad("no data chunk");
    }
}
