using EdgeRuntime.Board.Audio;
using EdgeRuntime.Board.Gpio;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

[Collection("realtime-timing")]
public class RealtimeRunnerTests
{
    [Fact]
    public void WavSourceIsPacedInRealTimeAndTheGpioMarksEachBlock()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgert-rt-{Guid.NewGuid():N}.wav");
        var samples = new PluckedStringSource(48000);
        var data = new float[48000 / 4 + 10]; // 0.25 s and a partial last block
        samples.Read(data);
        WavWriter.Write(path, new WavAudio(48000, WavSampleFormat.Float32, [data]));
        try
        {
            using var stream = new StreamingSession(DemoModel.PassThrough(), 64);
            var p = new StreamingBlockProcessor(stream, 48000);
            var gpio = new FakeGpioLine();
            var o = new RealtimeOptions { Source = "wav:" + path, Seconds = 0, Priority = null, LockMemory = false, Quiet = true };
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var s = RealtimeRunner.RunToSummary(p, "placeholder", o, TextWriter.Null, TextWriter.Null, gpio);
            Assert.True(sw.Elapsed.TotalSeconds >= 0.25, $"ran in {sw.Elapsed.TotalSeconds:0.000} s: not paced");
            Assert.Equal((data.Length + 63) / 64, s.Blocks);
            Assert.Equal(s.Blocks, gpio.Rises);
            Assert.Equal(Math.Round(data.Length / 48000.0, 3), s.Seconds);
            Assert.StartsWith("wav:", s.Source);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void StreamingProcessorPassesAudioThrough()
    {
        using var stream = new StreamingSession(DemoModel.PassThrough(), 64);
        var p = new StreamingBlockProcessor(stream);
        var x = Enumerable.Range(0, 64).Select(i => (float)i).ToArray();
        var y = new float[64];
        p.Process(x, y);
        Assert.Equal(x, y);
        AllocationAssert.NoAllocations(() => p.Process(x, y));
    }

    [Fact]
    public void MissingWavAndBadSpecsAreClearErrors()
    {
        using var stream = new StreamingSession(DemoModel.PassThrough(), 64);
        var p = new StreamingBlockProcessor(stream);
        var o = new RealtimeOptions { Source = "wav:/no/such/file.wav", Priority = null, LockMemory = false, Quiet = true };
        var e = Assert.Throws<ModelException>(() => RealtimeRunner.RunToSummary(p, "m", o, TextWriter.Null, TextWriter.Null));
        Assert.Contains("/no/such/file.wav", e.Message);
        o.Source = "microphone";
        Assert.Throws<EdgeRuntime.Cli.UsageException>(() => RealtimeRunner.RunToSummary(p, "m", o, TextWriter.Null, TextWriter.Null));
        o.Source = "synth";
        o.Gpio = "gpiochip93:4";
        var g = Assert.Throws<ModelException>(() => RealtimeRunner.RunToSummary(p, "m", o, TextWriter.Null, TextWriter.Null));
        Assert.Contains("/dev/gpiochip93", g.Message);
        o.Gpio = null;
        o.Report = "serial:///dev/ttyNOPE9?baud=115200";
        var r = Assert.Throws<ModelException>(() => RealtimeRunner.RunToSummary(p, "m", o, TextWriter.Null, TextWriter.Null));
        Assert.Contains("/dev/ttyNOPE9", r.Message);
    }
}
