using EdgeRuntime.Board.Audio;
using EdgeRuntime.Board.Gpio;
using EdgeRuntime.Board.Timing;

namespace EdgeRuntime.Realtime;

/// <summary>The real-time loop: the source is paced by an absolute clock (block k is released at
/// start + (k+1)·period, computed from k, so sleeps never accumulate drift), the processor runs the
/// block with the GPIO marker high, the sink receives it, and the deadline monitor records compute
/// time and lateness (deadline = the next block's release). <see cref="Step"/> allocates nothing.</summary>
public sealed class RealtimeLoop
{
    private readonly IBlockProcessor _processor;
    private readonly IAudioSource _source;
    private readonly IAudioSink _sink;
    private readonly IGpioLine? _gpio;
    private readonly float[] _in, _out;
    private readonly double _periodNs;
    private long _startNs, _index;
    private volatile bool _stop;

    public RealtimeLoop(IBlockProcessor processor, IAudioSource source, IAudioSink sink, DeadlineMonitor monitor,
        IGpioLine? gpio = null, bool paced = true)
    {
        _processor = processor;
        _source = source;
        _sink = sink;
        Monitor = monitor;
        _gpio = gpio;
        Paced = paced;
        if (processor.BlockFrames < 1) throw new ArgumentException("block must hold at least one frame");
        _in = new float[processor.BlockFrames];
        _out = new float[processor.BlockFrames];
        _periodNs = processor.BlockFrames * 1e9 / processor.SampleRate;
        if (source is RawFloatStreamSource raw) raw.Prepare(processor.BlockFrames);
    }

    public DeadlineMonitor Monitor { get; }
    public bool Paced { get; }
    public double PeriodNs => _periodNs;
    public long StartNs => _startNs;
    public long BlocksDone => _index;
    public bool SourceEnded { get; private set; }

    /// <summary>Ask <see cref="Run"/> to return after the current block (any thread).</summary>
    public void Stop() => _stop = true;

    /// <summary>Set the time origin; the first block is released one period later.</summary>
    public void Start(long? startNs = null)
    {
        _startNs = startNs ?? MonotonicClock.NowNs();
        _index = 0;
        SourceEnded = false;
    }

    public long ReleaseNs(long k) => _startNs + (long)((k + 1) * _periodNs);

    /// <summary>One block: wait for its release, read, process (marker high), write, record.
    /// Returns false when the source has ended.</summary>
    public bool Step()
    {
        long k = _index;
        long release = ReleaseNs(k);
        if (Paced) MonotonicClock.SleepUntil(release);
        int frames = _source.Read(_in);
        if (frames <= 0) { SourceEnded = true; return false; }
        var input = new ReadOnlySpan<float>(_in, 0, frames);
        var output = new Span<float>(_out, 0, frames);
        _gpio?.Set(true);
        long start = MonotonicClock.NowNs();
        _processor.Process(input, output);
        long end = MonotonicClock.NowNs();
        _gpio?.Set(false);
        _sink.Write(output);
        Monitor.Record(new BlockRecord(k, frames, release, start, end, release + (long)_periodNs));
        _index = k + 1;
        if (frames < _in.Length) { SourceEnded = true; return false; }
        return true;
    }

    /// <summary>Run until <paramref name="maxBlocks"/> blocks are done, the source ends, or
    /// <see cref="Stop"/> is called. Returns the number of blocks processed.</summary>
    public long Run(long maxBlocks)
    {
        _stop = false;
        Start();
        while (_index < maxBlocks && !_stop)
            if (!Step()) break;
        return _index;
    }
}
