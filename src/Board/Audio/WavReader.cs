using System.Buffers.Binary;

namespace EdgeRuntime.Board.Audio;

/// <summary>Reads RIFF/WAVE files: PCM 16/24/32-bit and IEEE float32 (format tags 1, 3 and
/// WAVE_FORMAT_EXTENSIBLE with a PCM or float sub-format), any channel count (de-interleaved).
/// Skips unknown chunks (LIST, fact, ...), honours the pad byte after odd-sized chunks, tolerates
/// a wrong RIFF size. Anything corrupt, truncated or unsupported throws
/// <see cref="AudioFormatException"/> naming the file and the problem.</summary>
public static class WavReader
{
    public const int MaxChannels = 256;

    public static WavAudio Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new AudioFormatException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new AudioFormatException($"{path}: file not found"); }
        return Read(bytes, path);
    }

    public static WavAudio Read(ReadOnlySpan<byte> b, string name)
    {
        if (b.Length < 12) throw new AudioFormatException($"{name}: not a WAV file (only {b.Length} bytes)");
        if (!b[..4].SequenceEqual("RIFF"u8) || !b[8..12].SequenceEqual("WAVE"u8))
        {
            if (b[..4].SequenceEqual("RF64"u8)) throw new AudioFormatException($"{name}: RF64 (64-bit) WAV files are not supported");
            throw new AudioFormatException($"{name}: not a WAV file (no RIFF/WAVE header)");
        }
        int pos = 12;
        int fmtAt = -1, fmtLen = 0, dataAt = -1, dataLen = 0;
        while (pos + 8 <= b.Length)
        {
            var id = b.Slice(pos, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(pos + 4, 4));
            int body = pos + 8;
            long remaining = b.Length - body;
            if (id.SequenceEqual("data"u8))
            {
                if (size == uint.MaxValue) size = (uint)remaining; // streamed writers leave the size open
                if (size > remaining)
                    throw new AudioFormatException($"{name}: truncated: the data chunk declares {size} bytes but only {remaining} follow");
                dataAt = body; dataLen = (int)size;
                if (fmtAt >= 0) break;
            }
            else if (id.SequenceEqual("fmt "u8))
            {
                if (size > remaining) throw new AudioFormatException($"{name}: truncated fmt chunk");
                fmtAt = body; fmtLen = (int)size;
                if (dataAt >= 0) break;
            }
            else if (size > remaining)
            {
                throw new AudioFormatException($"{name}: truncated or corrupt: chunk '{Printable(id)}' declares {size} bytes but only {remaining} follow");
            }
            long next = body + (long)size + (size & 1);
            if (next > b.Length) break;
            pos = (int)next;
        }
        if (fmtAt < 0) throw new AudioFormatException($"{name}: no fmt chunk (corrupt or truncated WAV file)");
        if (dataAt < 0) throw new AudioFormatException($"{name}: no data chunk (corrupt or truncated WAV file)");
        if (fmtLen < 16) throw new AudioFormatException($"{name}: fmt chunk too short ({fmtLen} bytes)");

        var f = b.Slice(fmtAt, fmtLen);
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(f);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(f[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(f[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(f[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(f[14..]);
        if (tag == 0xFFFE)
        {
            if (fmtLen < 40) throw new AudioFormatException($"{name}: WAVE_FORMAT_EXTENSIBLE fmt chunk too short ({fmtLen} bytes)");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(f[24..]); // first two bytes of the sub-format GUID
        }
        if (channels < 1 || channels > MaxChannels) throw new AudioFormatException($"{name}: invalid channel count {channels}");
        if (rate < 1 || rate > 10_000_000) throw new AudioFormatException($"{name}: invalid sample rate {rate}");
        WavSampleFormat fmt = (tag, bits) switch
        {
            (1, 16) => WavSampleFormat.Pcm16,
            (1, 24) => WavSampleFormat.Pcm24,
            (1, 32) => WavSampleFormat.Pcm32,
            (3, 32) => WavSampleFormat.Float32,
            _ => throw new AudioFormatException($"{name}: unsupported WAV encoding (format tag {tag}, {bits} bits); supported: PCM 16/24/32-bit and IEEE float 32-bit"),
        };
        int bytesPer = bits / 8;
        if (blockAlign != bytesPer * channels)
            throw new AudioFormatException($"{name}: corrupt fmt chunk: block align {blockAlign} does not match {channels} channel(s) of {bits} bits");
        if (dataLen % blockAlign != 0)
            throw new AudioFormatException($"{name}: truncated: the data chunk holds {dataLen} bytes, not a whole number of {blockAlign}-byte frames");
        int frames = dataLen / blockAlign;
        var outCh = new float[channels][];
        for (int c = 0; c < channels; c++) outCh[c] = new float[frames];
        var d = b.Slice(dataAt, dataLen);
        for (int t = 0, p = 0; t < frames; t++)
            for (int c = 0; c < channels; c++, p += bytesPer)
                outCh[c][t] = fmt switch
                {
                    WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(d[p..]) / 32768f,
                    WavSampleFormat.Pcm24 => ((d[p] | d[p + 1] << 8 | d[p + 2] << 16) << 8 >> 8) / 8388608f,
                    WavSampleFormat.Pcm32 => (float)(BinaryPrimitives.ReadInt32LittleEndian(d[p..]) / 2147483648.0),
                    _ => BinaryPrimitives.ReadSingleLittleEndian(d[p..]),
                };
        return new WavAudio((int)rate, fmt, outCh);
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++) c[i] = id[i] is >= 32 and < 127 ? (char)id[i] : '?';
        return new string(c);
    }
}
