namespace EdgeRuntime.Board.Audio;

/// <summary>Raw little-endian float32 mono samples from a stream (e.g. stdin). A short read at the end
/// yields a partial last block; 0 ends the run.</summary>
public sealed class RawFloatStreamSource : IAudioSource
{
    private readonly Stream _stream;
    private readonly bool _own;
    private byte[] _buffer = [];

    public RawFloatStreamSource(Stream stream, bool ownsStream = false, string description = "raw f32 stream")
    {
        _stream = stream;
        _own = ownsStream;
        Description = description;
    }

    public string Description { get; }
    public double? SampleRateHz => null;

    /// <summary>Size the byte buffer once, before the real-time loop starts.</summary>
    public void Prepare(int blockFrames)
    {
        if (_buffer.Length < blockFrames * 4) _buffer = new byte[blockFrames * 4];
    }

    public int Read(Span<float> block)
    {
        Prepare(block.Length);
        int want = block.Length * 4, got = 0;
        while (got < want)
        {
            int n = _stream.Read(_buffer, got, want - got);
            if (n <= 0) break;
            got += n;
        }
        int frames = got / 4;
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(_buffer.AsSpan(0, frames * 4)).CopyTo(block);
        return frames;
    }

    public void Dispose()
    {
        if (_own) _stream.Dispose();
    }
}
