namespace EdgeRuntime.Board.Audio;

/// <summary>A deterministic guitar-like test signal: Karplus-Strong plucked strings (a noise burst in a
/// delay line, averaged and damped each period), re-plucked on a fixed pattern of notes. Same seed,
/// same samples. Never ends. Allocation-free after construction.</summary>
public sealed class PluckedStringSource : IAudioSource
{
    // E2 A2 D3 G3 B3 E4 and a few fretted notes (Hz).
    private static readonly double[] s_notesHz = [82.41, 110.0, 146.83, 196.0, 246.94, 329.63, 164.81, 123.47];
    private readonly float[] _delay;
    private readonly double _rate;
    private readonly int _notePeriodFrames;
    private uint _rng;
    private int _length, _pos, _sinceNote, _note;
    private float _last;

    public PluckedStringSource(double sampleRateHz = 48000, uint seed = 12345, double noteSeconds = 0.5, float amplitude = 0.5f)
    {
        if (sampleRateHz < 1000) throw new ArgumentOutOfRangeException(nameof(sampleRateHz), "sample rate must be ≥ 1000 Hz");
        _rate = sampleRateHz;
        _rng = seed == 0 ? 1u : seed;
        Amplitude = amplitude;
        _notePeriodFrames = Math.Max(1, (int)(noteSeconds * sampleRateHz));
        _delay = new float[(int)(sampleRateHz / 60.0) + 2];
        Pluck();
    }

    public string Description => $"synth (plucked strings, {_rate:0} Hz)";
    public double? SampleRateHz => _rate;
    public float Amplitude { get; }

    private float Noise()
    {
        _rng ^= _rng << 13; _rng ^= _rng >> 17; _rng ^= _rng << 5; // xorshift32
        return (_rng / (float)uint.MaxValue) * 2f - 1f;
    }

    private void Pluck()
    {
        double f = s_notesHz[_note % s_notesHz.Length];
        _note++;
        _length = Math.Clamp((int)Math.Round(_rate / f), 2, _delay.Length);
        // Low-passed noise burst: a softer pick.
        float prev = 0;
        for (int i = 0; i < _length; i++)
        {
            float n = Noise();
            prev = 0.5f * (prev + n);
            _delay[i] = prev * Amplitude;
        }
        _pos = 0;
        _sinceNote = 0;
    }

    public int Read(Span<float> block)
    {
        for (int i = 0; i < block.Length; i++)
        {
            if (_sinceNote++ >= _notePeriodFrames) Pluck();
            int next = _pos + 1 == _length ? 0 : _pos + 1;
            float y = _delay[_pos];
            // Karplus-Strong: average with the next sample, slight damping.
            _delay[_pos] = 0.996f * 0.5f * (y + _delay[next]);
            _pos = next;
            // Gentle one-pole smoothing so the output is not harsh.
            _last = 0.8f * y + 0.2f * _last;
            block[i] = _last;
        }
        return block.Length;
    }

    public void Dispose() { }
}
