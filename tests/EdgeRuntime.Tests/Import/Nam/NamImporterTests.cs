using System.Text.Json;
using EdgeRuntime.Conformance;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Import.Nam;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Tests.Conformance;

namespace EdgeRuntime.Tests.Import.Nam;

public class NamImporterTests
{
    private static string Model(string rel) => Path.Combine(NamDataFactAttribute.Dir, "models", rel);

    private const string TinyWaveNet = """
        {"version":"0.5.4","architecture":"WaveNet","config":{"layers":[{"input_size":1,"condition_size":1,"head_size":1,
         "channels":2,"kernel_size":2,"dilations":[1],"activation":"Tanh","gated":false,"head_bias":true}],"head":null,"head_scale":0.5},
         "weights":[WEIGHTS],"sample_rate":44100}
        """;

    // rechannel 2 + conv 2*2*2+2 + mixin 2 + layer1x1 4+2 + head 2+1 + head_scale 1 = 24
    private static string Tiny(int count) => TinyWaveNet.Replace("WEIGHTS", string.Join(",", Enumerable.Range(1, count).Select(i => (i * 0.01).ToString(System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public void TinyWaveNetMatchesAHandComputation()
    {
        var g = NamImporter.Parse(Tiny(24), "tiny.nam", new NamImportOptions { MaxFrames = 4 });
        Assert.True(g.Streaming);
        Assert.Equal(44100, g.SampleRate);
        Assert.Equal(2, NamImporter.PrewarmSamples(g));
        using var s = new Session(Compiler.Compile(g));
        float[] x = [0.5f, -0.25f, 1f];
        var y = new float[3];
        for (int t = 0; t < 3; t++) { s.Input(0)[0] = x[t]; s.Run(1); y[t] = s.Output(0)[0]; }

        // By hand from peers/nam.md §1.3 with w = 0.01, 0.02, ...
        float[] w = Enumerable.Range(1, 24).Select(i => (float)(i * 0.01)).ToArray();
        int p = 0;
        float[] rech = w[p..(p += 2)];
        float[] conv = w[p..(p += 8)]; float[] convB = w[p..(p += 2)];
        float[] mix = w[p..(p += 2)];
        float[] l1 = w[p..(p += 4)]; float[] l1b = w[p..(p += 2)];
        float[] hw = w[p..(p += 2)]; float hb = w[p++];
        float scale = w[p++];
        Assert.Equal(24, p);
        var r = new float[3, 2];
        for (int t = 0; t < 3; t++) for (int c = 0; c < 2; c++) r[t, c] = rech[c] * x[t];
        for (int t = 0; t < 3; t++)
        {
            double h0 = 0;
            var a = new double[2];
            for (int o = 0; o < 2; o++)
            {
                double z = convB[o] + mix[o] * x[t];
                for (int j = 0; j < 2; j++)
                    for (int k = 0; k < 2; k++)
                    {
                        int ts = t - (1 - k);
                        if (ts >= 0) z += conv[(o * 2 + j) * 2 + k] * r[ts, j];
                    }
                a[o] = Math.Tanh(z);
            }
            h0 = hb + hw[0] * a[0] + hw[1] * a[1];
            Assert.Equal(scale * h0, y[t], 5);
        }
    }

    [Fact]
    public void WeightCountMismatchNamesTheLayer()
    {
        var e = Assert.Throws<ModelException>(() => NamImporter.Parse(Tiny(12), "short.nam"));
        Assert.Contains("short.nam", e.Message);
        Assert.Contains("layer array 0 layer 0", e.Message);
        var e2 = Assert.Throws<ModelException>(() => NamImporter.Parse(Tiny(25), "long.nam"));
        Assert.Contains("uses 24 weights but the file has 25", e2.Message);
    }

    [Theory]
    [InlineData("{", "not a valid .nam file")]
    [InlineData("[]", "top level must be an object")]
    [InlineData("""{"version":"0.4.0","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[1]}""", "unsupported .nam version 0.4.0")]
    [InlineData("""{"version":"0.8.0","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[1]}""", "unsupported .nam version 0.8.0")]
    [InlineData("""{"version":"1.0","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[1]}""", "not of the form X.Y.Z")]
    [InlineData("""{"version":"0.5.4","architecture":"Transformer","config":{},"weights":[]}""", "unsupported architecture 'Transformer'")]
    [InlineData("""{"version":"0.5.4","architecture":"Linear","config":{"bias":false},"weights":[1]}""", "missing required key 'receptive_field'")]
    [InlineData("""{"version":"0.5.4","architecture":"Linear","config":{"receptive_field":2,"bias":false},"weights":[1,"a"]}""", "expected a number")]
    [InlineData("""{"version":"0.5.4","architecture":"LSTM","config":{"input_size":1,"hidden_size":2,"num_layers":1},"weights":[1,2,3]}""", "LSTM layer 0 W")]
    [InlineData("""{"version":"0.5.4","architecture":"ConvNet","config":{"channels":2,"dilations":[1],"batchnorm":false,"activation":"Bogus"},"weights":[]}""", "unsupported activation 'Bogus'")]
    public void HostileFilesGiveClearErrors(string json, string expected)
    {
        var e = Assert.Throws<ModelException>(() => NamImporter.Parse(json, "bad.nam"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.nam", e.Message);
    }

    [Fact]
    public void PatchVersionAbove070IsAcceptedWithAWarning()
    {
        var g = NamImporter.Parse("""{"version":"0.7.3","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[1]}""", "v.nam");
        Assert.Contains("partially supported", g.Metadata["nam.version_warning"]);
    }

    [NamDataFact]
    public void PrewarmSamplesMatchTheCore()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(NamDataFactAttribute.Dir, "manifest.json")));
        foreach (var m in doc.RootElement.GetProperty("models").EnumerateObject())
        {
            var g = NamImporter.Load(Path.Combine(NamDataFactAttribute.Dir, m.Value.GetProperty("path").GetString()!));
            int expected = m.Value.GetProperty("prewarm_samples").GetInt32();
            // A slimmable WaveNet reports 0 but its Reset prewarms the inner WaveNet (peers/nam.md §1.8).
            if (m.Name == "slimmable_wavenet") Assert.Equal(1 + 2 * (1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256 + 512), NamImporter.PrewarmSamples(g));
            else Assert.True(expected == NamImporter.PrewarmSamples(g), $"{m.Name}: {NamImporter.PrewarmSamples(g)} vs core {expected}");
        }
    }

    [NamDataFact]
    public void MetadataAndRateAreRecorded()
    {
        var lstm = ModelLoader.Load(Model("core/lstm.nam"));
        Assert.Equal(48000, lstm.SampleRate);
        Assert.StartsWith("-37.84", lstm.Metadata["nam.loudness"]);
        Assert.Equal("18.3", lstm.Metadata["nam.input_level_dbu"]);
        Assert.Equal("12.3", lstm.Metadata["nam.output_level_dbu"]);
        var a1 = ModelLoader.Load(Model("core/wavenet_a1_standard.nam"));
        Assert.Null(a1.SampleRate);
        Assert.Equal("unknown", a1.Metadata["nam.sample_rate"]);
    }

    [NamDataFact]
    public void OutputDoesNotDependOnBlockSize()
    {
        var (input, cases) = NamConformanceSuite.ReadManifest(NamDataFactAttribute.Dir);
        foreach (string model in new[] { "wavenet_a2_max", "synthetic_lstm_2x8", "A2", "synthetic_wavenet_posthead" })
        {
            var c = cases.First(k => k.Name == model + ".buf64.noprewarm");
            var x = input[..6000];
            var y64 = NamConformanceSuite.Render(c with { Samples = 6000 }, x);
            var y1 = NamConformanceSuite.Render(c with { Samples = 6000, BufferSize = 1 }, x);
            var y37 = NamConformanceSuite.Render(c with { Samples = 6000, BufferSize = 37 }, x);
            float peak = y64.Max(MathF.Abs);
            for (int i = 0; i < y64.Length; i++)
            {
                Assert.True(Math.Abs(y1[i] - y64[i]) <= 1e-6f * Math.Max(1, peak), $"{model} block 1 vs 64 at {i}: {y1[i]} vs {y64[i]}");
                Assert.True(Math.Abs(y37[i] - y64[i]) <= 1e-6f * Math.Max(1, peak), $"{model} block 37 vs 64 at {i}");
            }
        }
    }

    [NamDataFact]
    public void ChannelMajorLayersDoNotDependOnTheFramesPerCall()
    {
        // A2's layers run channel-major at 64 frames per call and chain r and h between them; every frame's
        // result is the same bit for bit whatever the call sizes. Below 8 frames per call they run time-major.
        var (input, cases) = NamConformanceSuite.ReadManifest(NamDataFactAttribute.Dir);
        var c = cases.First(k => k.Name == "A2.buf64.noprewarm");
        var x = input[..3000];
        using var s = new Session(Compiler.Compile(ModelLoader.Load(c.ModelPath)));
        Assert.Contains(s.Kernels, k => k.KernelName == "wavenet-layer.channel-major");
        Assert.DoesNotContain(s.Kernels, k => k.KernelName == "wavenet-layer.tapconv");
        float[] Render(Func<int, int> block)
        {
            s.Reset();
            var y = new float[x.Length];
            for (int t = 0, i = 0; t < x.Length; i++)
            {
                int f = Math.Min(block(i), x.Length - t);
                for (int j = 0; j < f; j++) s.Input(0)[j] = x[t + j];
                s.Run(f);
                for (int j = 0; j < f; j++) y[t + j] = s.Output(0)[j];
                t += f;
            }
            return y;
        }
        var whole = Render(_ => 64);
        Assert.Equal(whole, Render(i => 1 + i * 13 % 64));
        Assert.Equal(whole, Render(_ => 1));
        var small = new Session(Compiler.Compile(ModelLoader.Load(c.ModelPath), new CompileOptions { MaxFrames = 4 }));
        Assert.Contains(small.Kernels, k => k.KernelName == "wavenet-layer.tapconv");
        Assert.DoesNotContain(small.Kernels, k => k.KernelName == "wavenet-layer.channel-major");
        small.Dispose();
    }

    [NamDataFact]
    public void RunningAllocatesNothing()
    {
        foreach (string rel in new[] { "core/wavenet_a2_max.nam", "core/lstm.nam", "synthetic/synthetic_convnet_bn.nam", "synthetic/synthetic_wavenet_posthead.nam", "core/A2.nam", "trainer/wavenet_standard.nam" })
        {
            using var s = new Session(Compiler.Compile(ModelLoader.Load(Model(rel))));
            int n = 0;
            AllocationAssert.NoAllocations(() => s.Run(1 + (n++ * 7) % 64));
        }
    }
}
