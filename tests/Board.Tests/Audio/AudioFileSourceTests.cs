using EdgeRuntime.Board.Audio;

namespace EdgeRuntime.Board.Tests.Audio;

public class AudioFileSourceTests
{
    [Fact]
    public void PlaysAWavFileBlockByBlockAndEnds()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgert-src-{Guid.NewGuid():N}.wav");
        var samples = Enumerable.Range(0, 150).Select(i => i / 200f).ToArray();
        WavWriter.Write(path, new WavAudio(44100, WavSampleFormat.Float32, [samples]));
        try
        {
            using var src = AudioFileSource.Open(path);
            Assert.Equal(44100, src.SampleRateHz);
            var block = new float[64];
            var got = new List<float>();
            int n;
            while ((n = src.Read(block)) > 0) got.AddRange(block[..n]);
            Assert.Equal(samples, got);
            Assert.Equal(0, src.Read(block));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void StereoIsMixedDown()
    {
        var src = new AudioFileSource(new WavAudio(48000, WavSampleFormat.Float32, [[1f, 0f], [0f, 1f]]), "t.wav");
        var b = new float[4];
        Assert.Equal(2, src.Read(b));
        Assert.Equal([0.5f, 0.5f], b[..2]);
    }
}
