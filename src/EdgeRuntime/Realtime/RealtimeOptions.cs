using System.Globalization;
using EdgeRuntime.Cli;

namespace EdgeRuntime.Realtime;

/// <summary>Options shared by <c>edgert demo</c> and <c>edgert run MODEL --realtime</c>.</summary>
public sealed class RealtimeOptions
{
    public string Source { get; set; } = "synth";
    public string Sink { get; set; } = "null";
    public double Seconds { get; set; } = 10;
    public string? Report { get; set; }
    public string? Gpio { get; set; }
    /// <summary>SCHED_FIFO priority; null = leave the scheduler alone.</summary>
    public int? Priority { get; set; } = 80;
    public List<int> Cpus { get; set; } = new();
    public bool LockMemory { get; set; } = true;
    public bool Json { get; set; }
    public bool Quiet { get; set; }
    public string BoardRoot { get; set; } = "/";
    public string? BoardId { get; set; }
    public int? BlockFrames { get; set; }
    public double? SampleRate { get; set; }
    public int RingCapacity { get; set; } = 4096;

    public const string Help = """
          --seconds N          how long to run (default 10; 0 = until the source ends or Ctrl-C)
          --source S           synth (plucked strings) | stdin (raw f32 mono) | alsa:DEVICE | wav:FILE
          --sink S             null | stdout (raw f32 mono) | alsa:DEVICE
          --report URI         udp://host:port | tcp://host:port | serial:///dev/ttyX?baud=115200 | stdout
          --gpio CHIP:LINE     drive a GPIO line high during each inference (e.g. gpiochip0:17)
          --priority N|off     SCHED_FIFO priority for the real-time thread (default 80)
          --cpu N[,M]          pin the real-time thread to these CPUs
          --mlock yes|no       lock memory with mlockall (default yes)
          --board-id NAME      board name in report frames (default: device-tree model or host name)
          --board-root DIR     read sysfs/procfs below DIR (testing)
          --json               print the final summary as JSON
        """;

    public static RealtimeOptions FromArgs(Args args, double defaultSeconds)
    {
        var o = new RealtimeOptions
        {
            Source = args.Get("source", "synth"),
            Sink = args.Get("sink", "null"),
            Seconds = args.GetDouble("seconds", defaultSeconds),
            Report = args.Get("report"),
            Gpio = args.Get("gpio"),
            Json = args.Flag("json"),
            Quiet = args.Flag("quiet"),
            BoardRoot = args.Get("board-root", "/"),
            BoardId = args.Get("board-id"),
        };
        if (o.Seconds < 0) throw new UsageException("--seconds must be ≥ 0");
        var prio = args.Get("priority");
        if (prio is "off" or "none" or "0") o.Priority = null;
        else if (prio is not null)
            o.Priority = int.TryParse(prio, NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) && p > 0 ? p
                : throw new UsageException($"--priority expects 1..99 or off, got '{prio}'");
        var cpu = args.Get("cpu");
        if (cpu is not null)
        {
            foreach (var c in cpu.Split(',', StringSplitOptions.RemoveEmptyEntries))
                o.Cpus.Add(int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0 ? n
                    : throw new UsageException($"--cpu expects CPU numbers like 3 or 2,3, got '{cpu}'"));
        }
        var mlock = args.Get("mlock");
        if (mlock is not null)
            o.LockMemory = mlock switch
            {
                "yes" or "on" or "true" => true,
                "no" or "off" or "false" => false,
                _ => throw new UsageException($"--mlock expects yes or no, got '{mlock}'"),
            };
        return o;
    }
}
