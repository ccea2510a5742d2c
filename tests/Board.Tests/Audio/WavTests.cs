using System.Buffers.Binary;
using System.Text;
using EdgeRuntime.Board.Audio;

namespace EdgeRuntime.Board.Tests.Audio;

public class WavTests
{
    private static float[][] Signal(int channels, int frames)
    {
        var r = new Random(3);
        return Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, frames).Select(_ => (float)(r.NextDouble() * 1.8 - 0.9)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 1, 1.0 / 32768)]
    [InlineData(WavSampleFormat.Pcm24, 2, 1.0 / 8388608)]
    [InlineData(WavSampleFormat.Pcm32, 3, 1e-7)]
    [InlineData(WavSampleFormat.Float32, 2, 0)]
    public void RoundTripsEveryFormatAndDeinterleaves(WavSampleFormat fmt, int channels, double step)
    {
        var x = Signal(channels, 101);
        var bytes = WavWriter.Encode(new WavAudio(44100, fmt, x));
        var back = WavReader.Read(bytes, "t.wav");
        Assert.Equal(44100, back.SampleRate);
        Assert.Equal(fmt, back.Format);
        Assert.Equal(channels, back.ChannelCount);
        Assert.Equal(101, back.Frames);
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < 101; t++)
                Assert.True(Math.Abs(back.Channels[c][t] - x[c][t]) <= step / 2 + 1e-9, $"ch {c} t {t}: {back.Channels[c][t]} vs {x[c][t]}");
        // Second decode/encode is bit-exact.
        Assert.Equal(bytes, WavWriter.Encode(back));
    }

    [Fact]
    public void DecodesKnownPcmValuesAndClipsOnWrite()
    {
        // Hand-built 16-bit stereo: frames (L,R) = (0x4000, 0x8000), (-1, 0x7FFF)
        byte[] data = [0x00, 0x40, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0x7F];
        var wav = Build(Fmt(1, 2, 8000, 16), ("data", data));
        var a = WavReader.Read(wav, "h.wav");
        Assert.Equal([0.5f, -1f / 32768], a.Channels[0]);
        Assert.Equal([-1f, 32767f / 32768], a.Channels[1]);
        // 24-bit negative value sign-extends.
        var w24 = Build(Fmt(1, 1, 8000, 24), ("data", [0x00, 0x00, 0x80]));
        Assert.Equal(-1f, WavReader.Read(w24, "n.wav").Channels[0][0]);
        var clipped = WavReader.Read(WavWriter.Encode(new WavAudio(8000, WavSampleFormat.Pcm16, [[2f, -2f, float.NaN]])), "c.wav");
        Assert.Equal([32767f / 32768, -1f, 0f], clipped.Channels[0]);
    }

    [Fact]
    public void SkipsExtraAndOddSizedChunksAndReadsExtensibleFormat()
    {
        byte[] samples = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(samples, 0.25f);
        BinaryPrimitives.WriteSingleLittleEndian(samples.AsSpan(4), -0.5f);
        var wav = Build(("LIST", Encoding.ASCII.GetBytes("INFOabc")), ("junk", [1, 2, 3]), Fmt(3, 1, 48000, 32),
            ("fact", [2, 0, 0, 0]), ("data", samples), ("LIST", [9]));
        var a = WavReader.Read(wav, "x.wav");
        Assert.Equal([0.25f, -0.5f], a.Channels[0]);

        // WAVE_FORMAT_EXTENSIBLE, 24-bit PCM sub-format, data chunk before fmt
        var ext = new byte[40];
        Fmt(0xFFFE, 1, 96000, 24).Item2.CopyTo(ext, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(ext.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(ext.AsSpan(24), 1);
        var w = Build(("data", [0x00, 0x00, 0x40]), ("fmt ", ext));
        var e = WavReader.Read(w, "e.wav");
        Assert.Equal(96000, e.SampleRate);
        Assert.Equal(WavSampleFormat.Pcm24, e.Format);
        Assert.Equal(0.5f, e.Channels[0][0]);
    }

    public static TheoryData<string, byte[], string> Hostile()
    {
        var good = Build(Fmt(1, 1, 8000, 16), ("data", [1, 0, 2, 0]));
        var d = new TheoryData<string, byte[], string>
        {
            { "empty", [], "not a WAV file" },
            { "text", Encoding.ASCII.GetBytes("hello, this is not audio"), "no RIFF/WAVE header" },
            { "header only", good[..12], "no fmt chunk" },
            { "truncated data", good[..^1], "truncated" },
            { "no data", Build(Fmt(1, 1, 8000, 16)), "no data chunk" },
            { "8-bit", Build(Fmt(1, 1, 8000, 8), ("data", [1, 2])), "unsupported WAV encoding" },
            { "adpcm", Build(Fmt(2, 1, 8000, 4), ("data", [1, 2])), "unsupported WAV encoding" },
            { "zero channels", Build(Fmt(1, 0, 8000, 16), ("data", [1, 2])), "invalid channel count 0" },
            { "zero rate", Build(Fmt(1, 1, 0, 16), ("data", [1, 2])), "invalid sample rate 0" },
            { "partial frame", Build(Fmt(1, 2, 8000, 16), ("data", [1, 2, 3, 4, 5, 6])), "not a whole number" },
            { "short fmt", Build(("fmt ", new byte[10]), ("data", [1, 2])), "fmt chunk too short" },
        };
        var huge = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(16), 0x7FFFFFF0); // fmt size beyond the file
        d.Add("huge chunk", huge, "truncated");
        var badAlign = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(badAlign.AsSpan(32), 7);
        d.Add("bad block align", badAlign, "block align");
        return d;
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileFilesGiveClearErrors(string what, byte[] file, string expected)
    {
        var e = Assert.Throws<AudioFormatException>(() => WavReader.Read(file, "bad.wav"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("bad.wav", e.Message);
        Assert.NotNull(what);
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        var e = Assert.Throws<AudioFormatException>(() => WavReader.Read("/nonexistent/dir/x.wav"));
        Assert.Contains("file not found", e.Message);
    }

    private static (string, byte[]) Fmt(int tag, int channels, int rate, int bits)
    {
        var f = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(f, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(8), (uint)(rate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)bits);
        return ("fmt ", f);
    }

    private static byte[] Build(params (string Id, byte[] Body)[] chunks)
    {
        var ms = new MemoryStream();
        ms.Write("RIFF"u8);
        ms.Write(new byte[4]);
        ms.Write("WAVE"u8);
        foreach (var (id, body) in chunks)
        {
            ms.Write(Encoding.ASCII.GetBytes(id));
            var len = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)body.Length);
            ms.Write(len);
            ms.Write(body);
            if (body.Length % 2 == 1) ms.WriteByte(0);
        }
        var b = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(b.Length - 8));
        return b;
    }
}
