using EdgeRuntime.Board.Thermal;

namespace EdgeRuntime.Board.Tests.Thermal;

public sealed class BoardStateReaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgert-board-" + Guid.NewGuid().ToString("N"));

    private void Write(string rel, string text)
    {
        string p = Path.Combine(_root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void ReadsAPiLikeTree()
    {
        Write("sys/class/thermal/thermal_zone0/type", "gpu-thermal\n");
        Write("sys/class/thermal/thermal_zone0/temp", "40000\n");
        Write("sys/class/thermal/thermal_zone1/type", "cpu-thermal\n");
        Write("sys/class/thermal/thermal_zone1/temp", "61234\n");
        Write("sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "1500000\n");
        Write("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "ondemand\n");
        Write("sys/devices/platform/soc/soc:firmware/get_throttled", "50005\n");
        Write("proc/loadavg", "0.52 0.40 0.30 1/123 4567\n");
        Write("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4\0");

        var r = new BoardStateReader(_root);
        var s = r.Read();
        Assert.Equal(61.234, s.TempC!.Value, 3);   // the CPU zone, not the first zone
        Assert.Equal(1500.0, s.FreqMhz);
        Assert.Equal("ondemand", s.Governor);
        Assert.Equal(0x50005u, s.Throttled);
        Assert.Equal(0.52, s.Load1);
        Assert.Equal("Raspberry Pi 4 Model B Rev 1.4", r.ReadBoardId());
        Assert.Equal("under-voltage now, throttled now, under-voltage occurred, throttling occurred", BoardState.DescribeThrottled(0x50005));
    }

    [Fact]
    public void FallsBackToFirstZoneAndCpuinfoFreq()
    {
        Write("sys/class/thermal/thermal_zone3/type", "acpitz");
        Write("sys/class/thermal/thermal_zone3/temp", "27800");
        Write("sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_cur_freq", "600000");
        var s = new BoardStateReader(_root).Read();
        Assert.Equal(27.8, s.TempC!.Value, 3);
        Assert.Equal(600.0, s.FreqMhz);
        Assert.Null(s.Governor);
    }

    [Fact]
    public void MissingTreeGivesNullsNotErrors()
    {
        Directory.CreateDirectory(_root);
        var s = new BoardStateReader(_root).Read();
        Assert.Null(s.TempC);
        Assert.Null(s.FreqMhz);
        Assert.Null(s.Governor);
        Assert.Null(s.Throttled);
        Assert.Null(s.Load1);
    }

    [Fact]
    public void GarbageValuesGiveNulls()
    {
        Write("sys/class/thermal/thermal_zone0/temp", "hot");
        Write("sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "fast");
        Write("sys/devices/platform/soc/soc:firmware/get_throttled", "zz");
        Write("proc/loadavg", "");
        var s = new BoardStateReader(_root).Read();
        Assert.Null(s.TempC);
        Assert.Null(s.FreqMhz);
        Assert.Null(s.Throttled);
        Assert.Null(s.Load1);
    }

    [Fact]
    public void ThisMachineReadsWithoutThrowing()
    {
        var s = new BoardStateReader().Read();
        Assert.NotNull(s);
        Assert.False(string.IsNullOrEmpty(new BoardStateReader().ReadBoardId()));
    }
}
