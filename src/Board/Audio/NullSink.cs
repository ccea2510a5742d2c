namespace EdgeRuntime.Board.Audio;

/// <summary>Discards every block (the default sink; keeps a running count for tests).</summary>
public sealed class NullSink : IAudioSink
{
    public string Description => "null";
    public long FramesWritten { get; private set; }
    public void Write(ReadOnlySpan<float> block) => FramesWritten += block.Length;
    public void Dispose() { }
}
