namespace EdgeRuntime.Board.Audio;

/// <summary>Mono float32 samples, one block at a time. <see cref="Read"/> fills the block and returns the
/// number of valid frames (0 = end of stream; fewer than the block = last, partial block).
/// Implementations used on the real-time thread must not allocate in <see cref="Read"/>.</summary>
public interface IAudioSource : IDisposable
{
    string Description { get; }
    /// <summary>Native sample rate, or null when the source takes whatever the loop asks for.</summary>
    double? SampleRateHz { get; }
    int Read(Span<float> block);
}
