namespace EdgeRuntime.Board.Audio;

/// <summary>A decoded WAV file (<see cref="WavReader"/>) played as a source: channel 0 (or the mean of
/// all channels with <c>mixDown</c>), block by block; the last block may be partial, then it ends.
/// Pacing is the real-time loop's job. Allocation-free after construction.</summary>
public sealed class AudioFileSource : IAudioSource
{
    private readonly float[] _samples;
    private int _pos;

    public AudioFileSource(WavAudio audio, string name, bool mixDown = true)
    {
        SampleRateHz = audio.SampleRate;
        Description = $"wav:{name} ({audio.ChannelCount} ch, {audio.SampleRate} Hz, {audio.Frames / (double)audio.SampleRate:0.00} s)";
        if (audio.ChannelCount == 1 || !mixDown) _samples = audio.Channels[0];
        else
        {
            _samples = new float[audio.Frames];
            foreach (var ch in audio.Channels)
                for (int i = 0; i < _samples.Length; i++) _samples[i] += ch[i];
            float k = 1f / audio.ChannelCount;
            for (int i = 0; i < _samples.Length; i++) _samples[i] *= k;
        }
    }

    public static AudioFileSource Open(string path) => new(WavReader.Read(path), Path.GetFileName(path));

    public string Description { get; }
    public double? SampleRateHz { get; }
    public int Frames => _samples.Length;

    public int Read(Span<float> block)
    {
        int n = Math.Min(block.Length, _samples.Length - _pos);
        if (n <= 0) return 0;
        _samples.AsSpan(_pos, n).CopyTo(block);
        _pos += n;
        return n;
    }

    public void Dispose() { }
}
