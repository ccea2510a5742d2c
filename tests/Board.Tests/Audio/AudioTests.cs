using EdgeRuntime.Board.Audio;
using Xunit.Abstractions;

namespace EdgeRuntime.Board.Tests.Audio;

public class AudioTests(ITestOutputHelper output)
{
    [Fact]
    public void SynthIsDeterministicBoundedAndNotSilent()
    {
        var a = new PluckedStringSource(48000, seed: 7);
        var b = new PluckedStringSource(48000, seed: 7);
        var x = new float[48000];
        var y = new float[48000];
        for (int i = 0; i < x.Length; i += 64) { a.Read(x.AsSpan(i, 64)); b.Read(y.AsSpan(i, 64)); }
        Assert.Equal(x, y);
        Assert.All(x, v => Assert.InRange(v, -1f, 1f));
        double rms = Math.Sqrt(x.Average(v => (double)v * v));
        Assert.True(rms > 0.01, $"rms {rms}");
        // Plucked strings decay: the end of a note is quieter than its start.
        double early = Math.Sqrt(x.AsSpan(0, 2400).ToArray().Average(v => (double)v * v));
        double late = Math.Sqrt(x.AsSpan(21600, 2400).ToArray().Average(v => (double)v * v));
        Assert.True(late < early, $"early {early}, late {late}");
        var c = new PluckedStringSource(48000, seed: 8);
        var z = new float[64];
        c.Read(z);
        Assert.NotEqual(x[..64], z);
    }

    [Fact]
    public void RawStreamsRoundTripWithPartialLastBlock()
    {
        var ms = new MemoryStream();
        using (var sink = new RawFloatStreamSink(ms))
            sink.Write([1f, 2f, 3f, 4f, 5f]);
        ms.Position = 0;
        using var src = new RawFloatStreamSource(ms);
        var block = new float[4];
        Assert.Equal(4, src.Read(block));
        Assert.Equal([1f, 2f, 3f, 4f], block);
        Assert.Equal(1, src.Read(block));
        Assert.Equal(5f, block[0]);
        Assert.Equal(0, src.Read(block));
    }

    [Fact]
    public void AlsaNullDevicePlaysAndCaptures()
    {
        if (AlsaLibrary.TryLoad(out var why) is null)
        {
            output.WriteLine($"SKIPPED: {why}");
            return;
        }
        using (var play = AlsaPcm.Open("null", capture: false, 48000))
        {
            var block = new float[64];
            for (int i = 0; i < 20; i++) play.Write(block);
            Assert.Contains("alsa:null", play.Description);
        }
        using var cap = AlsaPcm.Open("null", capture: true, 48000);
        var buf = new float[64];
        Assert.Equal(64, cap.Read(buf));
    }

    [Fact]
    public void AlsaMissingDeviceFailsClearly()
    {
        if (AlsaLibrary.TryLoad(out var why) is null)
        {
            output.WriteLine($"SKIPPED: {why}");
            return;
        }
        var e = Assert.Throws<AudioDeviceException>(() => AlsaPcm.Open("no_such_pcm_xyz", capture: false, 48000));
        Assert.Contains("no_such_pcm_xyz", e.Message);
    }
}
