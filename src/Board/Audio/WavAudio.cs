namespace EdgeRuntime.Board.Audio;

/// <summary>Decoded audio: one float array per channel (de-interleaved), values in [-1, 1) for PCM.</summary>
public sealed class WavAudio
{
    public WavAudio(int sampleRate, WavSampleFormat format, float[][] channels)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate));
        if (channels.Length == 0) throw new ArgumentException("at least one channel", nameof(channels));
        if (channels.Any(c => c.Length != channels[0].Length)) throw new ArgumentException("channels differ in length", nameof(channels));
        SampleRate = sampleRate;
        Format = format;
        Channels = channels;
    }

    public int SampleRate { get; }
    public WavSampleFormat Format { get; }
    public float[][] Channels { get; }
    public int ChannelCount => Channels.Length;
    public int Frames => Channels[0].Length;
}
