using System.Text;

namespace EdgeRuntime.Board.Audio;

/// <summary>An ALSA PCM opened for mono float32 interleaved capture or playback
/// (<c>snd_pcm_set_params</c>), read/written one block at a time with under/overrun recovery.</summary>
public sealed unsafe class AlsaPcm : IAudioSource, IAudioSink
{
    private readonly AlsaLibrary _lib;
    private nint _pcm;

    /// <summary>Xruns recovered (overruns for capture, underruns for playback).</summary>
    public long Xruns { get; private set; }

    private AlsaPcm(AlsaLibrary lib, nint pcm, string device, bool capture, double rate)
    {
        _lib = lib;
        _pcm = pcm;
        Device = device;
        IsCapture = capture;
        SampleRateHz = rate;
    }

    public string Device { get; }
    public bool IsCapture { get; }
    public double? SampleRateHz { get; }
    public string Description => $"alsa:{Device} ({(IsCapture ? "capture" : "playback")}, {SampleRateHz:0} Hz)";

    public static AlsaPcm Open(string device, bool capture, double sampleRateHz, int latencyUs = 20000)
    {
        var lib = AlsaLibrary.Load();
        nint pcm;
        int rc;
        byte[] name = Encoding.UTF8.GetBytes(device + "\0");
        fixed (byte* p = name)
            rc = lib.PcmOpen(&pcm, p, capture ? AlsaLibrary.StreamCapture : AlsaLibrary.StreamPlayback, 0);
        if (rc < 0)
            throw new AudioDeviceException($"ALSA: cannot open '{device}' for {(capture ? "capture" : "playback")}: {lib.Describe(rc)}");
        rc = lib.PcmSetParams(pcm, AlsaLibrary.FormatFloatLe, AlsaLibrary.AccessRwInterleaved, 1, (uint)sampleRateHz, 1, (uint)latencyUs);
        if (rc < 0)
        {
            lib.PcmClose(pcm);
            throw new AudioDeviceException($"ALSA: '{device}' refused mono float32 at {sampleRateHz:0} Hz: {lib.Describe(rc)}");
        }
        return new AlsaPcm(lib, pcm, device, capture, sampleRateHz);
    }

    public int Read(Span<float> block)
    {
        if (!IsCapture) throw new InvalidOperationException("this PCM was opened for playback");
        int done = 0;
        fixed (float* p = block)
        {
            while (done < block.Length)
            {
                nint n = _lib.PcmReadi(_pcm, p + done, (nuint)(block.Length - done));
                if (n < 0)
                {
                    Xruns++;
                    if (_lib.PcmRecover(_pcm, (int)n, 1) < 0) ThrowIo((int)n);
                    continue;
                }
                done += (int)n;
            }
        }
        return done;
    }

    public void Write(ReadOnlySpan<float> block)
    {
        if (IsCapture) throw new InvalidOperationException("this PCM was opened for capture");
        int done = 0;
        fixed (float* p = block)
        {
            while (done < block.Length)
            {
                nint n = _lib.PcmWritei(_pcm, p + done, (nuint)(block.Length - done));
                if (n < 0)
                {
                    Xruns++;
                    if (_lib.PcmRecover(_pcm, (int)n, 1) < 0) ThrowIo((int)n);
                    continue;
                }
                done += (int)n;
            }
        }
    }

    private void ThrowIo(int err) => throw new AudioDeviceException($"ALSA: {Device}: {_lib.Describe(err)}");

    public void Dispose()
    {
        if (_pcm == 0) return;
        if (!IsCapture) _lib.PcmDrain(_pcm);
        _lib.PcmClose(_pcm);
        _pcm = 0;
    }
}
