using System.Runtime.InteropServices;

namespace EdgeRuntime.Board.Audio;

/// <summary>Writes raw little-endian float32 mono samples to a stream (e.g. stdout).</summary>
public sealed class RawFloatStreamSink : IAudioSink
{
    private readonly Stream _stream;
    private readonly bool _own;

    public RawFloatStreamSink(Stream stream, bool ownsStream = false, string description = "raw f32 stream")
    {
        _stream = stream;
        _own = ownsStream;
        Description = description;
    }

    public string Description { get; }

    public void Write(ReadOnlySpan<float> block) => _stream.Write(MemoryMarshal.AsBytes(block));

    public void Dispose()
    {
        _stream.Flush();
        if (_own) _stream.Dispose();
    }
}
