using System.Runtime.InteropServices;

namespace EdgeRuntime.Board.Audio;

/// <summary>libasound, loaded at run time (<see cref="NativeLibrary.TryLoad(string, out nint)"/>) so the
/// runtime starts on boards without ALSA and says clearly what is missing when ALSA is asked for.</summary>
public sealed unsafe class AlsaLibrary
{
    private static readonly string[] s_names = ["libasound.so.2", "libasound.so"];
    private static AlsaLibrary? s_loaded;
    private static readonly object s_lock = new();

    internal readonly delegate* unmanaged<nint*, byte*, int, int, int> PcmOpen;
    internal readonly delegate* unmanaged<nint, int, int, uint, uint, int, uint, int> PcmSetParams;
    internal readonly delegate* unmanaged<nint, void*, nuint, nint> PcmWritei;
    internal readonly delegate* unmanaged<nint, void*, nuint, nint> PcmReadi;
    internal readonly delegate* unmanaged<nint, int, int, int> PcmRecover;
    internal readonly delegate* unmanaged<nint, int> PcmClose;
    internal readonly delegate* unmanaged<nint, int> PcmDrain;
    internal readonly delegate* unmanaged<int, byte*> StrError;

    public const int StreamPlayback = 0, StreamCapture = 1;
    public const int FormatFloatLe = 14;         // SND_PCM_FORMAT_FLOAT_LE
    public const int AccessRwInterleaved = 3;    // SND_PCM_ACCESS_RW_INTERLEAVED

    private AlsaLibrary(nint h, string path)
    {
        Path = path;
        PcmOpen = (delegate* unmanaged<nint*, byte*, int, int, int>)Export(h, "snd_pcm_open");
        PcmSetParams = (delegate* unmanaged<nint, int, int, uint, uint, int, uint, int>)Export(h, "snd_pcm_set_params");
        PcmWritei = (delegate* unmanaged<nint, void*, nuint, nint>)Export(h, "snd_pcm_writei");
        PcmReadi = (delegate* unmanaged<nint, void*, nuint, nint>)Export(h, "snd_pcm_readi");
        PcmRecover = (delegate* unmanaged<nint, int, int, int>)Export(h, "snd_pcm_recover");
        PcmClose = (delegate* unmanaged<nint, int>)Export(h, "snd_pcm_close");
        PcmDrain = (delegate* unmanaged<nint, int>)Export(h, "snd_pcm_drain");
        StrError = (delegate* unmanaged<int, byte*>)Export(h, "snd_strerror");
    }

    public string Path { get; }

    private static nint Export(nint h, string name) =>
        NativeLibrary.TryGetExport(h, name, out nint p) ? p
            : throw new AudioDeviceException($"libasound has no '{name}' (too old an ALSA library?)");

    /// <summary>Load libasound once; null with <paramref name="error"/> set when it is absent.</summary>
    public static AlsaLibrary? TryLoad(out string? error)
    {
        lock (s_lock)
        {
            error = null;
            if (s_loaded is not null) return s_loaded;
            foreach (var n in s_names)
            {
                if (NativeLibrary.TryLoad(n, out nint h))
                {
                    try { return s_loaded = new AlsaLibrary(h, n); }
                    catch (AudioDeviceException e) { error = e.Message; return null; }
                }
            }
            error = $"ALSA is not available: could not load {string.Join(" or ", s_names)} (install the libasound2 package)";
            return null;
        }
    }

    public static AlsaLibrary Load() => TryLoad(out var error) ?? throw new AudioDeviceException(error!);

    internal string Describe(int err) => Marshal.PtrToStringUTF8((nint)StrError(err)) ?? $"ALSA error {err}";
}
