using System.Buffers.Binary;
using System.Security.Cryptography;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Tests.Planning;

public class PlanFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeplan").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static Graph SampleGraph()
    {
        var g = new Graph { Name = "sample", Source = "sample.onnx", Format = "onnx", SampleRate = 48000, Streaming = false };
        g.Metadata["loudness"] = "-18.5";
        g.Add(new Tensor("x", DataType.Float32, [2, 3]));
        g.Inputs.Add("x");
        g.Add(Tensor.FromFloats("w", [3], [0.25f, -1f, 7f]));
        g.Add(new Tensor("q", DataType.Int8, [4], [1, 2, 255, 4], new QuantParams([0.5f, 0.25f], [0, 1], 0)) { Layout = "gemm.nk" });
        g.Nodes.Add(new Node("Identity", "a", ["x"], ["y"])
            .Set("i", Ir.Attribute.Of(3L)).Set("f", Ir.Attribute.Of(1.5f)).Set("s", Ir.Attribute.Of("txt"))
            .Set("is", Ir.Attribute.Of([1L, -2L])).Set("fs", Ir.Attribute.Of([0.5f])).Set("ss", Ir.Attribute.Of(["p", "q"]))
            .Set("t", Ir.Attribute.Of(Tensor.FromInt64s("tv", [2], [5, 6]))));
        g.Nodes.Add(new Node("Identity", "b", ["y"], ["z"]));
        g.Nodes.Add(new Node("Identity", "c", ["w"], ["w2"]));
        g.Nodes.Add(new Node("Identity", "d", ["q"], ["q2"]));
        g.Outputs.Add("z");
        g.Outputs.Add("w2");
        g.Outputs.Add("q2");
        return g;
    }

    private string Write(Plan plan, IReadOnlyList<string>? isa = null)
    {
        string path = Path.Combine(_dir, $"p{Guid.NewGuid():N}.edge");
        PlanWriter.Write(plan, path, isa);
        return path;
    }

    [Fact]
    public void RoundTripKeepsGraphSizesAndResults()
    {
        var plan = Compiler.Compile(SampleGraph(), new CompileOptions { Optimize = false });
        string path = Write(plan);
        var back = PlanReader.Read(path);

        Assert.Equal(plan.ArenaBytes, back.ArenaBytes);
        Assert.Equal(plan.ArenaLowerBoundBytes, back.ArenaLowerBoundBytes);
        Assert.Equal(plan.WeightsBytes, back.WeightsBytes);
        Assert.Equal(plan.ActivationOffsets.OrderBy(k => k.Key), back.ActivationOffsets.OrderBy(k => k.Key));
        var g = back.Graph;
        Assert.Equal("edge", g.Format);
        Assert.Equal(path, g.Source);
        Assert.Equal("sample.onnx", g.Metadata["compiled_from"]);
        Assert.Equal("-18.5", g.Metadata["loudness"]);
        Assert.Equal(48000, g.SampleRate);
        Assert.Equal(["x"], g.Inputs);
        Assert.Equal(["z", "w2", "q2"], g.Outputs);
        Assert.Equal(plan.Graph.Nodes.Select(n => n.ToString()), g.Nodes.Select(n => n.ToString()));
        var a = g.Nodes[0];
        Assert.Equal(3L, a.GetInt("i", 0));
        Assert.Equal(1.5f, a.GetFloat("f", 0));
        Assert.Equal("txt", a.GetString("s", ""));
        Assert.Equal([1L, -2L], a.GetInts("is")!);
        Assert.Equal([0.5f], a.GetFloats("fs")!);
        Assert.Equal(["p", "q"], a.GetStrings("ss")!);
        Assert.Equal([5L, 6L], a.Attributes["t"].T!.ConstantInt64s.ToArray());
        var q = g["q"];
        Assert.Equal("gemm.nk", q.Layout);
        Assert.Equal([0.5f, 0.25f], q.Quant!.Scales);
        Assert.Equal([0L, 1L], q.Quant.ZeroPoints);
        Assert.Equal(new byte[] { 1, 2, 255, 4 }, q.Constant);

        using var s1 = new Session(plan);
        using var s2 = new Session(back);
        float[] x = [1, 2, 3, 4, 5, 6];
        x.CopyTo(s1.Input(0)); x.CopyTo(s2.Input(0));
        s1.Run(); s2.Run();
        for (int i = 0; i < 3; i++) Assert.Equal(s1.OutputBytes(i).ToArray(), s2.OutputBytes(i).ToArray());
        Assert.Equal(x, s2.Output(0).ToArray());
    }

    [Fact]
    public void WritingIsDeterministic()
    {
        var a = PlanWriter.ToBytes(Compiler.Compile(SampleGraph()), []);
        var b = PlanWriter.ToBytes(Compiler.Compile(SampleGraph()), []);
        Assert.Equal(a, b);
    }

    private string Corrupt(Func<byte[], byte[]> f)
    {
        var bytes = PlanWriter.ToBytes(Compiler.Compile(SampleGraph()), []);
        string path = Path.Combine(_dir, $"bad{Guid.NewGuid():N}.edge");
        File.WriteAllBytes(path, f(bytes));
        return path;
    }

    private static byte[] Rehash(byte[] b)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), (ulong)(b.Length - PlanFormat.HeaderBytes));
        SHA256.HashData(b.AsSpan(PlanFormat.HeaderBytes), b.AsSpan(24, 32));
        return b;
    }

    [Fact]
    public void CorruptPlansAreRefusedSayingWhy()
    {
        string M(string path) => Assert.Throws<ModelException>(() => PlanReader.Read(path)).Message;

        var p = Corrupt(b => { b[0] = (byte)'X'; return b; });
        Assert.Contains("bad magic", M(p));
        Assert.StartsWith(p, M(p));
        Assert.Contains("version 99", M(Corrupt(b => { b[8] = 99; return b; })));
        Assert.Contains("content hash mismatch", M(Corrupt(b => { b[^10] ^= 0x40; return b; })));
        Assert.Contains("truncated", M(Corrupt(b => b[..^7])));
        Assert.Contains("shorter than", M(Corrupt(b => b[..20])));
        Assert.Contains("trailing", M(Corrupt(b => [.. b, 0])));
        Assert.Contains("file not found", M(Path.Combine(_dir, "missing.edge")));
        // A hash-valid body whose first string length is absurd.
        Assert.Contains("out of range", M(Corrupt(b => { BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(PlanFormat.HeaderBytes), int.MaxValue); return Rehash(b); })));
        // A hash-valid but truncated body.
        Assert.Contains("truncated", M(Corrupt(b => Rehash(b[..^9]))));
        // Random garbage after a valid header never crashes.
        var rnd = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var path = Corrupt(b =>
            {
                int n = PlanFormat.HeaderBytes + rnd.Next(b.Length - PlanFormat.HeaderBytes);
                var body = b[..n];
                for (int k = 0; k < 4; k++) body[PlanFormat.HeaderBytes + rnd.Next(n - PlanFormat.HeaderBytes)] = (byte)rnd.Next(256);
                return Rehash(body);
            });
            try { PlanReader.Read(path); }
            catch (ModelException) { }
        }
    }

    [Fact]
    public void PlanForMissingIsaFeaturesNamesThem()
    {
        var have = IsaFeatures.Current();
        string lacking = IsaFeatures.KnownNames.First(f => !have.Contains(f));
        string path = Write(Compiler.Compile(SampleGraph()), [lacking]);
        var e = Assert.Throws<ModelException>(() => PlanReader.Read(path));
        Assert.Contains($"plan needs {lacking}", e.Message);
        Assert.Contains("this machine has:", e.Message);
        Assert.Equal([lacking], PlanReader.Read(path, checkIsa: false).RequiredIsa);
    }

    [Fact]
    public void KernelNamesMapToIsaFeatures()
    {
        Assert.Equal(["avx2", "dotprod"], IsaFeatures.FromKernelNames(["gemm.avx2", "gemv.sdot", "copy", "relu.portable"]));
        Assert.Empty(IsaFeatures.FromKernelNames(["CopyKernel", "gemm.vector128"]));
    }

    [Fact]
    public void LoadAnyRefusesCompileOptionsForAPlan()
    {
        string path = Write(Compiler.Compile(SampleGraph()), []);
        var o = new CompileOptions { MaxFrames = 4 };
        Assert.Contains("compiled plan", Assert.Throws<ModelException>(() => PlanLoader.LoadAny(path, o)).Message);
        Assert.NotNull(PlanLoader.LoadAny(path));
    }
}
