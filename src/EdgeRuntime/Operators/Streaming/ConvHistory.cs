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
    internal static int CapacityFrames(int historyFrames, int maxFrames) => Math.Max(2 * maxFrames, Math.Max(historyFrames, 64));

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

/// <summary>The channel-major form of <see cref="ConvHistory"/>: one row per channel, frames appended at a
/// moving column, each row rewinding when full (its last <c>HistoryFrames</c> frames moved to the front).
/// Rows carry <see cref="Slack"/> spare columns so kernels may read whole vectors past the last frame.</summary>
internal unsafe struct ChannelHistory
{
    /// <summary>Spare columns after each row's capacity (one AVX-512 vector).</summary>
    public const int Slack = 16;

    private float* _buf;
    private int _channels;
    private int _historyFrames;
    private int _totalFrames;
    private int _rowLength;
    private int _pos;

    private static int RowLength(int historyFrames, int maxFrames)
        => historyFrames + ConvHistory.CapacityFrames(historyFrames, maxFrames) + Slack;

    public static long Bytes(int channels, int historyFrames, int maxFrames)
        => (long)channels * RowLength(historyFrames, maxFrames) * sizeof(float);

    public ChannelHistory(float* buffer, int channels, int historyFrames, int maxFrames)
    {
        _buf = buffer;
        _channels = channels;
        _historyFrames = historyFrames;
        _totalFrames = historyFrames + ConvHistory.CapacityFrames(historyFrames, maxFrames);
        _rowLength = RowLength(historyFrames, maxFrames);
        _pos = historyFrames;
    }

    /// <summary>Floats from one channel's row to the next.</summary>
    public int RowStride => _rowLength;

    /// <summary>Where the next <paramref name="frames"/> frames of channel 0 go (channel c: + c·<see cref="RowStride"/>);
    /// each row's history lies just before it.</summary>
    public float* Begin(int frames)
    {
        if (_pos + frames > _totalFrames)
        {
            long n = (long)_historyFrames * sizeof(float);
            if (n > 0)
                for (int c = 0; c < _channels; c++)
                {
                    float* row = _buf + (long)c * _rowLength;
                    Buffer.MemoryCopy(row + _pos - _historyFrames, row, n, n);
                }
            _pos = _historyFrames;
        }
        return _buf + _pos;
    }

    /// <summary>Begin, then write frames of a time-major block x [frames, channels] (row stride ldx) into the rows.</summary>
    public float* Append(float* x, int ldx, int frames)
    {
        float* cur = Begin(frames);
        if (_channels == 1 && ldx == 1) Buffer.MemoryCopy(x, cur, (long)frames * sizeof(float), (long)frames * sizeof(float));
        else
            for (int c = 0; c < _channels; c++)
            {
                float* row = cur + (long)c * _rowLength;
                float* src = x + c;
                for (int t = 0; t < frames; t++) row[t] = src[(long)t * ldx];
            }
        return cur;
    }

    /// <summary>Begin, then copy frames of channel rows x (row stride ldx) into the rows.</summary>
    public float* AppendRows(float* x, int ldx, int frames)
    {
        float* cur = Begin(frames);
        long n = (long)frames * sizeof(float);
        for (int c = 0; c < _channels; c++) Buffer.MemoryCopy(x + (long)c * ldx, cur + (long)c * _rowLength, n, n);
        return cur;
    }

    /// <summary>Commit the frames written after <see cref="Begin"/>.</summary>
    public void End(int frames) => _pos += frames;

    /// <summary>Zero history (a cold start) and rewind.</summary>
    public void Reset()
    {
        for (int c = 0; c < _channels; c++)
            NativeMemory.Clear(_buf + (long)c * _rowLength, (nuint)((long)_historyFrames * sizeof(float)));
        _pos = _historyFrames;
    }
}
