using System.Buffers.Binary;

namespace EdgeRuntime.Board.Audio;

/// <summary>Writes RIFF/WAVE files (PCM 16/24/32-bit or IEEE float32, channels interleaved).
/// PCM values are scaled by 2^(bits−1), rounded to nearest and clipped.</summary>
public static class WavWriter
{
    public static void Write(string path, WavAudio audio) => File.WriteAllBytes(path, Encode(audio));

    public static byte[] Encode(WavAudio audio)
    {
        int ch = audio.ChannelCount, frames = audio.Frames;
        int bytesPer = audio.Format switch { WavSampleFormat.Pcm16 => 2, WavSampleFormat.Pcm24 => 3, _ => 4 };
        bool isFloat = audio.Format == WavSampleFormat.Float32;
        long dataLen = (long)frames * ch * bytesPer;
        int fmtLen = isFloat ? 18 : 16;
        int factLen = isFloat ? 12 : 0;
        long total = 12 + 8 + fmtLen + factLen + 8 + dataLen + (dataLen & 1);
        if (total > uint.MaxValue) throw new AudioFormatException($"audio too long for a WAV file ({dataLen} bytes of samples)");
        var b = new byte[total];
        var s = b.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(total - 8));
        "WAVE"u8.CopyTo(s[8..]);
        int p = 12;
        "fmt "u8.CopyTo(s[p..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 4)..], (uint)fmtLen);
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 8)..], (ushort)(isFloat ? 3 : 1));
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 10)..], (ushort)ch);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 12)..], (uint)audio.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 16)..], (uint)(audio.SampleRate * ch * bytesPer));
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 20)..], (ushort)(ch * bytesPer));
        BinaryPrimitives.WriteUInt16LittleEndian(s[(p + 22)..], (ushort)(bytesPer * 8));
        p += 8 + fmtLen; // cbSize (float) stays 0
        if (isFloat)
        {
            "fact"u8.CopyTo(s[p..]);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 4)..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 8)..], (uint)frames);
            p += 12;
        }
        "data"u8.CopyTo(s[p..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 4)..], (uint)dataLen);
        p += 8;
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < ch; c++, p += bytesPer)
            {
                float v = audio.Channels[c][t];
                switch (audio.Format)
                {
                    case WavSampleFormat.Pcm16:
                        BinaryPrimitives.WriteInt16LittleEndian(s[p..], (short)Quantize(v, 32768.0));
                        break;
                    case WavSampleFormat.Pcm24:
                    {
                        int q = (int)Quantize(v, 8388608.0);
                        s[p] = (byte)q; s[p + 1] = (byte)(q >> 8); s[p + 2] = (byte)(q >> 16);
                        break;
                    }
                    case WavSampleFormat.Pcm32:
                        BinaryPrimitives.WriteInt32LittleEndian(s[p..], (int)Quantize(v, 2147483648.0));
                        break;
                    default:
                        BinaryPrimitives.WriteSingleLittleEndian(s[p..], v);
                        break;
                }
            }
        return b;
    }

    private static long Quantize(float v, double full)
    {
        if (float.IsNaN(v)) return 0;
        double q = Math.Round(v * full, MidpointRounding.ToEven);
        return (long)Math.Clamp(q, -full, full - 1);
    }
}
