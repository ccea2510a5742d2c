using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Board.Audio;
using EdgeRuntime.Board.Gpio;
using EdgeRuntime.Board.Realtime;
using EdgeRuntime.Board.Reporting;
using EdgeRuntime.Board.Thermal;
using EdgeRuntime.Cli;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Realtime;

/// <summary>Puts a real-time run together: source, sink, GPIO marker, report channel, real-time
/// setup, the loop on a dedicated thread and the reporter; prints a live line per second and the
/// summary. Used by <c>edgert demo</c> and <c>edgert run MODEL --realtime</c>.</summary>
public static class RealtimeRunner
{
    /// <summary>Opens a WAV file as a source. Wired to the NAM area's WavReader where it is merged;
    /// null until then.</summary>
    public static Func<string, double, IAudioSource>? WavSourceFactory { get; set; }

    public static IAudioSource OpenSource(string spec, double sampleRate)
    {
        if (spec == "synth") return new PluckedStringSource(sampleRate);
        if (spec is "stdin" or "-") return new RawFloatStreamSource(Console.OpenStandardInput(), true, "stdin (raw f32)");
        if (spec.StartsWith("alsa:", StringComparison.Ordinal)) return AlsaPcm.Open(spec[5..], capture: true, sampleRate);
        if (spec.StartsWith("wav:", StringComparison.Ordinal))
        {
            if (WavSourceFactory is null)
                throw new UsageException("--source wav:FILE needs the WAV reader, which is not in this build yet; use synth, stdin or alsa:DEVICE");
            return WavSourceFactory(spec[4..], sampleRate);
        }
        throw new UsageException($"unknown --source '{spec}' (synth, stdin, alsa:DEVICE, wav:FILE)");
    }

    public static IAudioSink OpenSink(string spec, double sampleRate)
    {
        if (spec is "null" or "none") return new NullSink();
        if (spec is "stdout" or "-") return new RawFloatStreamSink(Console.OpenStandardOutput(), true, "stdout (raw f32)");
        if (spec.StartsWith("alsa:", StringComparison.Ordinal)) return AlsaPcm.Open(spec[5..], capture: false, sampleRate);
        throw new UsageException($"unknown --sink '{spec}' (null, stdout, alsa:DEVICE)");
    }

    /// <summary>One live line for a frame.</summary>
    public static string LiveLine(ReportFrame f)
    {
        var ci = CultureInfo.InvariantCulture;
        string temp = f.TempC is double t ? string.Format(ci, "  {0:0.0}°C", t) : "";
        string freq = f.FreqMhz is double m ? string.Format(ci, " {0:0} MHz", m) : "";
        return string.Format(ci, "t={0,6:0.0}s  RTF {1,8:0.0} (1 s: {2,8:0.0})  p50 {3,7:0.0} us  p99 {4,7:0.0} us  max {5,7:0.0} us  misses {6}  dropped {7}{8}{9}{10}",
            f.T, f.Rtf, f.Rtf1s, f.P50Us, f.P99Us, f.MaxUs, f.Misses, f.Dropped, temp, freq, f.Final == true ? "  (final)" : "");
    }

    /// <summary>Run <paramref name="processor"/> in real time with <paramref name="o"/>. Returns the exit code.</summary>
    public static int Run(IBlockProcessor processor, string modelName, RealtimeOptions o, TextWriter stdout, TextWriter stderr,
        IGpioLine? gpioOverride = null)
    {
        var summary = RunToSummary(processor, modelName, o, stdout, stderr, gpioOverride);
        if (o.Json)
            stdout.WriteLine(JsonSerializer.Serialize(summary, RealtimeJsonContext.Indented.RealtimeSummary));
        else
            PrintSummary(summary, stdout);
        return 0;
    }

    /// <param name="gpioOverride">A marker line to use instead of opening --gpio (tests: FakeGpioLine).</param>
    /// <param name="channelOverride">A report channel to use instead of opening --report (tests: stalled channels).</param>
    public static RealtimeSummary RunToSummary(IBlockProcessor processor, string modelName, RealtimeOptions o,
        TextWriter stdout, TextWriter stderr, IGpioLine? gpioOverride = null, IReportChannel? channelOverride = null)
    {
        double rate = processor.SampleRate;
        bool liveToStderr = o.Json || o.Sink is "stdout" or "-" || o.Report is "stdout" or "-";
        var live = liveToStderr ? stderr : stdout;

        IGpioLine? gpio = gpioOverride;
        if (gpio is null && o.Gpio is not null)
        {
            try { gpio = GpioCdevLine.Open(GpioLineSpec.Parse(o.Gpio)); }
            catch (FormatException e) { throw new UsageException(e.Message); }
            catch (GpioException e) { throw new ModelException($"--gpio {o.Gpio}: {e.Message}"); }
        }
        IReportChannel? channel = channelOverride;
        IAudioSource? source = null;
        IAudioSink? sink = null;
        try
        {
            if (channel is null && o.Report is not null)
            {
                try { channel = ReportUri.Parse(o.Report).OpenChannel(); }
                catch (ReportChannelException e) { throw new UsageException(e.Message); }
                catch (IOException e) { throw new ModelException($"--report {o.Report}: {e.Message}"); }
            }
            source = OpenSource(o.Source, rate);
            sink = OpenSink(o.Sink, rate);
            if (source.SampleRateHz is double sr && Math.Abs(sr - rate) > 0.5)
                stderr.WriteLine($"warning: source runs at {sr:0} Hz, the model expects {rate:0} Hz");

            var state = new BoardStateReader(o.BoardRoot);
            string board = o.BoardId ?? state.ReadBoardId();
            var monitor = new DeadlineMonitor(o.RingCapacity);
            var reporter = new Reporter(monitor, rate, board, channel, state);
            reporter.OnFrame = f => { if (!o.Quiet) live.WriteLine(LiveLine(f)); };
            Prewarm(processor);
            var loop = new RealtimeLoop(processor, source, sink, monitor, gpio);
            long maxBlocks = o.Seconds > 0 ? (long)Math.Ceiling(o.Seconds * rate / processor.BlockFrames) : long.MaxValue;

            if (!o.Quiet)
            {
                live.WriteLine($"edgert: {modelName} | {processor.BlockFrames} frames @ {rate:0} Hz (deadline {processor.BlockFrames / rate * 1e6:0.0} us) | source {source.Description} | sink {sink.Description}"
                    + (channel is null ? "" : $" | report {channel.Description}") + (gpio is null ? "" : $" | marker {gpio.Description}"));
            }

            IReadOnlyList<RealtimeSetupResult> setup = [];
            Exception? loopError = null;
            var rt = new Thread(() =>
            {
                try
                {
                    setup = new RealtimeSetup().Apply(o.Priority, o.Cpus, o.LockMemory);
                    loop.Run(maxBlocks);
                }
                catch (Exception e) { loopError = e; }
            }, 1 << 20) { Name = "edgert-realtime" };
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; loop.Stop(); };
            Console.CancelKeyPress += onCancel;
            reporter.Start();
            rt.Start();
            rt.Join();
            Console.CancelKeyPress -= onCancel;
            reporter.Finish();
            if (loopError is not null)
            {
                if (loopError is ModelException or IOException) throw loopError;
                throw new ModelException($"real-time loop failed: {loopError.GetType().Name}: {loopError.Message}", loopError);
            }
            if (!o.Quiet)
                foreach (var r in setup) live.WriteLine($"realtime setup: {r}");

            var s = reporter.Summarize(processor.BlockFrames);
            s.Model = modelName;
            s.Source = source.Description;
            s.Sink = sink.Description;
            s.Report = channel?.Description;
            s.RealtimeSetup = setup.Select(r => r.ToString()).ToList();
            return s;
        }
        finally
        {
            source?.Dispose();
            sink?.Dispose();
            if (channelOverride is null) channel?.Dispose();
            if (gpioOverride is null) gpio?.Dispose();
        }
    }

    /// <summary>Run the whole block path a few dozen times, unpaced and unrecorded, so the first real
    /// blocks do not pay for first-call costs (JIT, page faults); then clear the model's state.</summary>
    public static void Prewarm(IBlockProcessor processor, int blocks = 64)
    {
        var warm = new RealtimeLoop(processor, new PluckedStringSource(processor.SampleRate), new NullSink(),
            new DeadlineMonitor(128), gpio: null, paced: false);
        warm.Start();
        for (int i = 0; i < blocks; i++)
        {
            warm.Step();
            while (warm.Monitor.Ring.TryRead(out _)) { }
        }
        if (processor is SessionBlockProcessor s) s.Reset();
    }

    public static void PrintSummary(RealtimeSummary s, TextWriter w)
    {
        var ci = CultureInfo.InvariantCulture;
        w.WriteLine(string.Format(ci, "summary: {0} blocks ({1:0.###} s of signal), RTF {2:0.0}", s.Blocks, s.Seconds, s.Rtf));
        w.WriteLine(string.Format(ci, "  block time: p50 {0:0.0} us, p99 {1:0.0} us, p99.9 {2:0.0} us, max {3:0.0} us (deadline {4:0.0} us)",
            s.P50Us, s.P99Us, s.P999Us, s.MaxUs, s.DeadlineUs));
        w.WriteLine($"  deadline misses: {s.Misses}   records dropped: {s.Dropped}");
        if (s.Report is not null)
            w.WriteLine($"  report {s.Report}: {s.FramesSent} frames sent, {s.FramesLost} lost" + (s.ReportError is null ? "" : $" (last error: {s.ReportError})"));
    }
}
