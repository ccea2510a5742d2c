using EdgeRuntime.Board.Audio;
using EdgeRuntime.Cli;
using EdgeRuntime.Conformance;
using EdgeRuntime.Ir;
using EdgeRuntime.Tests.Conformance;

namespace EdgeRuntime.Tests.Cli;

public sealed class RunCommandAudioTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgert-run-audio-").FullName;
    private static string Data(params string[] p) => Path.Combine([NamDataFactAttribute.Dir, .. p]);

    public void Dispose() => Directory.Delete(_dir, true);

    private static int Run(params string[] argv) => new RunCommand().Run(new Args(argv, Program.KnownFlags));

    private static void AssertClose(float[] reference, float[] y, string what)
    {
        Assert.Equal(reference.Length, y.Length);
        float peak = reference.Max(MathF.Abs);
        float tol = 1e-5f * Math.Max(1, peak);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(y[i] - reference[i]) <= tol, $"{what}: sample {i}: {y[i]} vs {reference[i]}");
    }

    [NamDataFact]
    public void WavThroughNamModelMatchesTheReferencePath()
    {
        string outPrewarm = Path.Combine(_dir, "p.wav"), outCold = Path.Combine(_dir, "c.wav");
        Assert.Equal(0, Run(Data("models", "core", "wavenet_condition_dsp.nam"), "--in", Data("input", "input_48k_1s.wav"), "--out", outPrewarm));
        Assert.Equal(0, Run(Data("models", "core", "wavenet_condition_dsp.nam"), "--in", Data("input", "input_48k_1s.wav"), "--out", outCold, "--no-prewarm", "--block", "17"));
        var p = WavReader.Read(outPrewarm);
        Assert.Equal(48000, p.SampleRate);
        Assert.Equal(WavSampleFormat.Float32, p.Format);
        AssertClose(NamConformanceSuite.ReadF32(Data("reference", "wavenet_condition_dsp.buf64.prewarm.f32")), p.Channels[0], "prewarm");
        AssertClose(NamConformanceSuite.ReadF32(Data("reference", "wavenet_condition_dsp.buf64.noprewarm.f32")), WavReader.Read(outCold).Channels[0], "cold, block 17");
    }

    [NamDataFact]
    public void CompiledPlanRunsLikeTheModelFileAndKeepsItsPrewarm()
    {
        string plan = Path.Combine(_dir, "dsp.edge"), o = Path.Combine(_dir, "plan.wav");
        Assert.Equal(0, new CompileCommand().Run(new Args([Data("models", "core", "wavenet_condition_dsp.nam"), "-o", plan, "--frames", "64"], Program.KnownFlags)));
        Assert.Equal(0, Run(plan, "--in", Data("input", "input_48k_1s.wav"), "--out", o));
        AssertClose(NamConformanceSuite.ReadF32(Data("reference", "wavenet_condition_dsp.buf64.prewarm.f32")), WavReader.Read(o).Channels[0], "plan, prewarm");
        var e = Assert.Throws<UsageException>(() => Run(plan, "--in", Data("input", "input_48k_1s.wav"), "--out", o, "--block", "17"));
        Assert.Contains("--frames 17", e.Message);
    }

    [NamDataFact]
    public void StereoChannelsHaveTheirOwnState()
    {
        var x = WavReader.Read(Data("input", "input_48k_1s.wav")).Channels[0];
        var right = x.Select((v, i) => -0.5f * x[x.Length - 1 - i]).ToArray();
        string inStereo = Path.Combine(_dir, "st.wav"), inRight = Path.Combine(_dir, "r.wav");
        WavWriter.Write(inStereo, new WavAudio(48000, WavSampleFormat.Float32, [x, right]));
        WavWriter.Write(inRight, new WavAudio(48000, WavSampleFormat.Float32, [right]));
        string o1 = Path.Combine(_dir, "o1.wav"), o2 = Path.Combine(_dir, "o2.wav");
        string model = Data("models", "core", "lstm.nam");
        Assert.Equal(0, Run(model, "--in", inStereo, "--out", o1));
        Assert.Equal(0, Run(model, "--in", inRight, "--out", o2));
        var stereo = WavReader.Read(o1);
        Assert.Equal(2, stereo.ChannelCount);
        AssertClose(NamConformanceSuite.ReadF32(Data("reference", "lstm.buf64.prewarm.f32")), stereo.Channels[0], "left");
        Assert.Equal(WavReader.Read(o2).Channels[0], stereo.Channels[1]);
    }

    [NamDataFact]
    public void RateMismatchIsRefusedUnlessIgnored()
    {
        string in44 = Path.Combine(_dir, "44.wav"), o = Path.Combine(_dir, "o.wav");
        WavWriter.Write(in44, new WavAudio(44100, WavSampleFormat.Pcm16, [new float[300]]));
        var e = Assert.Throws<ModelException>(() => Run(Data("models", "core", "wavenet.nam"), "--in", in44, "--out", o));
        Assert.Contains("48000 Hz", e.Message);
        Assert.Contains("44100 Hz", e.Message);
        Assert.Contains("--ignore-rate", e.Message);
        Assert.Equal(0, Run(Data("models", "core", "wavenet.nam"), "--in", in44, "--out", o, "--ignore-rate"));
        var back = WavReader.Read(o);
        Assert.Equal(WavSampleFormat.Pcm16, back.Format); // the input's format is kept
        Assert.Equal(300, back.Frames);
        Assert.Equal(0, Run(Data("models", "core", "wavenet.nam"), "--in", in44, "--out", o, "--ignore-rate", "--float"));
        Assert.Equal(WavSampleFormat.Float32, WavReader.Read(o).Format);
    }

    [NamDataFact]
    public void CorruptWavIsAClearModelError()
    {
        string bad = Path.Combine(_dir, "bad.wav");
        File.WriteAllBytes(bad, "RIFF\x10\0\0\0WAVEfmt "u8.ToArray());
        var e = Assert.Throws<ModelException>(() => Run(Data("models", "core", "wavenet.nam"), "--in", bad, "--out", Path.Combine(_dir, "o.wav")));
        Assert.Contains("bad.wav", e.Message);
    }
}
