namespace EdgeRuntime.Board.Audio;

/// <summary>Receives processed mono float32 blocks. Must not allocate in <see cref="Write"/>.</summary>
public interface IAudioSink : IDisposable
{
    string Description { get; }
    void Write(ReadOnlySpan<float> block);
}
