using System.Globalization;

namespace EdgeRuntime.Board.Thermal;

/// <summary>Reads CPU temperature (thermal zones), frequency and governor (cpufreq), Raspberry Pi
/// throttling flags (firmware sysfs attribute) and load (/proc/loadavg) below a configurable root, so
/// tests point it at a fake tree. Missing files give nulls, never exceptions. Call from a non-real-time
/// thread (it allocates).</summary>
public sealed class BoardStateReader
{
    /// <summary>Where Raspberry Pi firmware exposes the throttling word on various kernels.</summary>
    public static readonly string[] ThrottledPaths =
    [
        "sys/devices/platform/soc/soc:firmware/get_throttled",
        "sys/devices/platform/soc/soc:firmware/raspberrypi-hwmon/get_throttled",
        "sys/devices/platform/firmware:get_throttled",
    ];

    private static readonly string[] s_preferredZones = ["cpu-thermal", "cpu_thermal", "x86_pkg_temp", "soc-thermal", "soc_thermal"];

    public BoardStateReader(string root = "/", int cpu = 0)
    {
        Root = root;
        Cpu = cpu;
    }

    public string Root { get; }
    public int Cpu { get; }

    private string P(string relative) => Path.Combine(Root, relative);

    public BoardState Read() => new(ReadTempC(), ReadFreqMhz(), ReadGovernor(), ReadThrottled(), ReadLoad1());

    private static string? ReadText(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path).Trim() : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>CPU temperature in °C: the thermal zone whose type names the CPU/SoC, else the first zone.</summary>
    public double? ReadTempC()
    {
        string dir = P("sys/class/thermal");
        if (!Directory.Exists(dir)) return null;
        string[] zones;
        try { zones = Directory.GetDirectories(dir, "thermal_zone*"); }
        catch (IOException) { return null; }
        Array.Sort(zones, (a, b) => ZoneIndex(a).CompareTo(ZoneIndex(b)));
        string? chosen = null;
        foreach (var pref in s_preferredZones)
        {
            chosen = zones.FirstOrDefault(z => string.Equals(ReadText(Path.Combine(z, "type")), pref, StringComparison.OrdinalIgnoreCase));
            if (chosen is not null) break;
        }
        foreach (var z in chosen is null ? zones : [chosen, .. zones])
        {
            if (long.TryParse(ReadText(Path.Combine(z, "temp")), NumberStyles.Integer, CultureInfo.InvariantCulture, out long milli))
                return milli / 1000.0;
        }
        return null;
    }

    private static int ZoneIndex(string path) =>
        int.TryParse(Path.GetFileName(path).AsSpan("thermal_zone".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue;

    private string CpuFreqDir => P($"sys/devices/system/cpu/cpu{Cpu}/cpufreq");

    /// <summary>Current frequency in MHz (scaling_cur_freq, else cpuinfo_cur_freq; both in kHz).</summary>
    public double? ReadFreqMhz()
    {
        foreach (var f in new[] { "scaling_cur_freq", "cpuinfo_cur_freq" })
            if (long.TryParse(ReadText(Path.Combine(CpuFreqDir, f)), NumberStyles.Integer, CultureInfo.InvariantCulture, out long khz))
                return khz / 1000.0;
        return null;
    }

    public string? ReadGovernor()
    {
        var g = ReadText(Path.Combine(CpuFreqDir, "scaling_governor"));
        return string.IsNullOrEmpty(g) ? null : g;
    }

    /// <summary>The firmware's throttling word (hex in sysfs, e.g. "50005"), or null where absent.</summary>
    public uint? ReadThrottled()
    {
        foreach (var rel in ThrottledPaths)
        {
            var s = ReadText(P(rel));
            if (s is null) continue;
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
            if (uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v)) return v;
        }
        return null;
    }

    public double? ReadLoad1()
    {
        var s = ReadText(P("proc/loadavg"));
        if (s is null) return null;
        int sp = s.IndexOf(' ');
        return double.TryParse(sp > 0 ? s[..sp] : s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    /// <summary>A board id: the device-tree model (e.g. "Raspberry Pi 5 Model B Rev 1.0") or the host name.</summary>
    public string ReadBoardId()
    {
        var model = ReadText(P("proc/device-tree/model"))?.TrimEnd('\0');
        if (!string.IsNullOrEmpty(model)) return model;
        var host = ReadText(P("etc/hostname"));
        return string.IsNullOrEmpty(host) ? Environment.MachineName : host;
    }
}
