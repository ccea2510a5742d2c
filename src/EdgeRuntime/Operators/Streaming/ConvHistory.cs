using System.Runtime.InteropServices;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>Causal-convolution input history in a linear buffer that rewinds when full (as NAM core
/// does): frames are appended at a moving position, so the taps of the current block are plain
/// pointer offsets behind it and nothing is copied per call except the new frames. When the buffer
/// is full, the last <c>HistoryFrames</c> frames are moved to the front (amortized cost ≤ 1 copy per
/// frame). Lives in the session's persistent region; the position is reset by <see cref="Reset"/>.</summary>
internal unsafe struct ConvHistory
{
    private float* _buf;
    private int _channels;
    private int _historyFrames;
    private int _totalFrames;
    private int _pos;

    /// <summary>Frames appended before the buffer rewinds: at least the block size and the history.</summary>
    private static int CapacityFrames(int historyFrames, int maxFrames) => Math.Max(2 * maxFrames, Math.Max(historyFrames, 64));

    public static long Bytes(int channels, int historyFrames, int maxFrames)
        => (long)(historyFrames + CapacityFrames(historyFrames, maxFrames)) * channels * sizeof(float);

    public ConvHistory(float* buffer, int channels, int historyFrames, int maxFrames)
    {
        _buf = buffer;
        _channels = channels;
        _historyFrames = historyFrames;
        _totalFrames = historyFrames + CapacityFrames(historyFrames, maxFrames);
        _pos = historyFrames;
    }

    public int HistoryFrames => _historyFrames;

    /// <summary>Where the next <paramref name="frames"/> frames go; the history lies just before it.</summary>
    public float* Begin(int frames)
    {
        if (_pos + frames > _totalFrames)
        {
            long n = (long)_historyFrames * _channels;
            if (n > 0) Buffer.MemoryCopy(_buf + (long)(_pos - _historyFrames) * _channels, _buf, n * sizeof(float), n * sizeof(float));
            _pos = _historyFrames;
        }
        return _buf + (long)_pos * _channels;
    }

    /// <summary>Commit the frames written after <see cref="Begin"/>.</summary>
    public void End(int frames) => _pos += frames;

    /// <summary>Zero history (a cold start) and rewind.</summary>
    public void Reset()
    {
        NativeMemory.Clear(_buf, (nuint)((long)_historyFrames * _channels * sizeof(float)));
        _pos = _historyFrames;
    }
}
