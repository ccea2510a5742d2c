using EdgeRuntime.Cli;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Tests.Import.Tflite;

namespace EdgeRuntime.Tests.Cli;

public class RunTensorFilesTests
{
    private static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "edgert-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    [MlperfTinyFact]
    public void RawInputAndDumpedLogitsMatchTheReferenceFiles()
    {
        string refDir = Path.Combine(MlperfTinyData.Dir, "reference", "kws_ref_model");
        string outDir = TempDir();
        int rc = new RunCommand().Run(new Args([MlperfTinyData.Model("kws_ref_model.tflite"),
            "--input", "input_1=" + Path.Combine(refDir, "input_s5.bin"), "--dump", "functional_1/dense/BiasAdd",
            "--output-dir", outDir, "--format", "bin"]));
        Assert.Equal(0, rc);
        Assert.Equal(File.ReadAllBytes(Path.Combine(refDir, "logits_s5.bin")), File.ReadAllBytes(Path.Combine(outDir, "functional_1_dense_BiasAdd.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(refDir, "output_s5.bin")), File.ReadAllBytes(Path.Combine(outDir, "Identity.bin")));
    }

    [MlperfTinyFact]
    public void CompiledPlanDumpsTheTensorsKeptAtCompileTime()
    {
        string refDir = Path.Combine(MlperfTinyData.Dir, "reference", "kws_ref_model");
        string outDir = TempDir();
        string plan = Path.Combine(outDir, "kws.edge");
        Assert.Equal(0, new CompileCommand().Run(new Args([MlperfTinyData.Model("kws_ref_model.tflite"), "-o", plan, "--keep", "functional_1/dense/BiasAdd"], Program.KnownFlags)));
        int rc = new RunCommand().Run(new Args([plan, "--input", "input_1=" + Path.Combine(refDir, "input_s5.bin"),
            "--dump", "functional_1/dense/BiasAdd", "--output-dir", outDir, "--format", "bin"]));
        Assert.Equal(0, rc);
        Assert.Equal(File.ReadAllBytes(Path.Combine(refDir, "logits_s5.bin")), File.ReadAllBytes(Path.Combine(outDir, "functional_1_dense_BiasAdd.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(refDir, "output_s5.bin")), File.ReadAllBytes(Path.Combine(outDir, "Identity.bin")));
        var e = Assert.Throws<ModelException>(() => new RunCommand().Run(new Args([plan, "--input", Path.Combine(refDir, "input_s5.bin"), "--dump", "functional_1/conv2d/Relu", "--output-dir", outDir])));
        Assert.Contains("--keep functional_1/conv2d/Relu", e.Message);
    }

    [MlperfTinyFact]
    public void NpyInputGivesNpyOutputs()
    {
        string refDir = Path.Combine(MlperfTinyData.Dir, "reference", "ad01_fp32");
        string outDir = TempDir();
        string npy = Path.Combine(outDir, "in.npy");
        NpyFile.Write(npy, DataType.Float32, [1, 640], File.ReadAllBytes(Path.Combine(refDir, "input_s3.bin")));
        int rc = new RunCommand().Run(new Args([MlperfTinyData.Model("ad01_fp32.tflite"), "--input", npy, "--output-dir", outDir]));
        Assert.Equal(0, rc);
        var (type, shape, data) = NpyFile.Read(Path.Combine(outDir, "Identity.npy"));
        Assert.Equal(DataType.Float32, type);
        Assert.Equal([1, 640], shape);
        var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(refDir, "output_s3.bin")));
        var actual = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"element {i}");
    }

    [Fact]
    public void NpyRoundTripAndBadHeadersAreRefused()
    {
        string path = Path.Combine(TempDir(), "t.npy");
        var bytes = new byte[] { 1, 2, 3, 250, 5, 6 };
        NpyFile.Write(path, DataType.Int8, [2, 3], bytes);
        var raw = File.ReadAllBytes(path);
        Assert.Equal(0, (raw.Length - bytes.Length) % 64);
        var (type, shape, data) = NpyFile.Read(path);
        Assert.Equal(DataType.Int8, type);
        Assert.Equal([2, 3], shape);
        Assert.Equal(bytes, data);
        Assert.Throws<ModelException>(() => NpyFile.Parse(raw[..^1], "cut.npy"));
        Assert.Throws<ModelException>(() => NpyFile.Parse(raw[..8], "cut.npy"));
        var big = (byte[])raw.Clone();
        big[0] = 0;
        Assert.Contains("magic", Assert.Throws<ModelException>(() => NpyFile.Parse(big, "x.npy")).Message);
    }

    [MlperfTinyFact]
    public void WrongSizedInputIsRefusedNamingTheInput()
    {
        string outDir = TempDir();
        string bad = Path.Combine(outDir, "bad.bin");
        File.WriteAllBytes(bad, new byte[7]);
        var e = Assert.Throws<ModelException>(() => new RunCommand().Run(new Args([MlperfTinyData.Model("kws_ref_model.tflite"), "--input", bad, "--output-dir", outDir])));
        Assert.Contains("input_1", e.Message);
    }
}
