using System.Buffers.Binary;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Import.Tflite;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Import.Tflite;

public class TfliteImporterTests
{
    private const string Src = "tiny.tflite";

    [Fact]
    public void TinyModelImportsAndRunsTheInt8FullyConnectedFormula()
    {
        var (bytes, _, _) = TinyTflite.Build();
        var g = TfliteImporter.Import(bytes, Src);
        Assert.Equal(["x"], g.Inputs);
        Assert.Equal(["y"], g.Outputs);
        var node = Assert.Single(g.Nodes);
        Assert.Equal("tflite", node.Domain);
        Assert.Equal("FULLY_CONNECTED", node.OpType);
        Assert.Equal("RELU", node.GetString("activation", ""));
        Assert.Equal(0.25f, g["w"].Quant!.Scales[0]);

        using var s = new Session(Compiler.Compile(g));
        sbyte[] x = [7, -5, 100, -128];
        for (int i = 0; i < 4; i++) s.InputBytes(0)[i] = (byte)x[i];
        s.Run();
        // real multiplier 0.5·0.25/0.5 = 0.25 exactly; single rounding = round half up; RELU clamps at zp.
        for (int o = 0; o < 2; o++)
        {
            long acc = TinyTflite.Bias[o];
            for (int k = 0; k < 4; k++) acc += (x[k] - 1) * TinyTflite.Weights[o * 4 + k];
            long q = (long)Math.Floor(acc / 4.0 + 0.5) - 3;
            Assert.Equal(Math.Clamp(q, -3, 127), (sbyte)s.OutputBytes(0)[o]);
        }
    }

    [Fact]
    public void EveryTruncationIsRefusedWithTheFileName()
    {
        var (bytes, _, _) = TinyTflite.Build();
        for (int len = 0; len < bytes.Length; len++)
        {
            var e = Assert.Throws<ModelException>(() => TfliteImporter.Import(bytes[..len], Src));
            Assert.Contains(Src, e.Message);
        }
    }

    [Fact]
    public void RootOffsetOutOfRangeIsRefused()
    {
        var (bytes, _, _) = TinyTflite.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x7FFFFF00);
        var e = Assert.Throws<ModelException>(() => TfliteImporter.Import(bytes, Src));
        Assert.Contains("outside", e.Message);
    }

    [Fact]
    public void SelfReferencingOffsetAndVtableAreRefused()
    {
        var (bytes, writer, subgraph) = TinyTflite.Build();
        var zero = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(zero, 0);
        Assert.Contains("self reference", Assert.Throws<ModelException>(() => TfliteImporter.Import(zero, Src)).Message);

        // The subgraph table's vtable offset pointing at the table itself (a cycle back onto its own bytes).
        var cyc = (byte[])bytes.Clone();
        int sg = writer.Positions[subgraph];
        BinaryPrimitives.WriteInt32LittleEndian(cyc.AsSpan(sg), 0);
        Assert.Throws<ModelException>(() => TfliteImporter.Import(cyc, Src));
    }

    [Fact]
    public void HugeVectorLengthIsRefused()
    {
        var (bytes, writer, subgraph) = TinyTflite.Build();
        var tensorsVector = (FbVector)subgraph.Fields.First(f => f.Slot == 0).Value;
        int at = writer.Positions[tensorsVector];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), 0x7FFFFFF0);
        var e = Assert.Throws<ModelException>(() => TfliteImporter.Import(bytes, Src));
        Assert.Contains("exceeds the file", e.Message);
    }

    [Fact]
    public void AliasedOffsetsCannotMultiplyTheWork()
    {
        // 3000 vector slots all pointing at one table that holds a 3000-int vector: 9M elements from a ~24 kB file.
        var shared = new FbTable().Add(0, new FbVector(new int[3000]));
        var root = new FbTable().Add(0, new FbVector(Enumerable.Repeat(shared, 3000).ToArray()));
        var (bytes, _) = FlatBufferWriter.Build(root);
        var r = new FlatBufferReader(bytes, Src);
        var e = Assert.Throws<ModelException>(() =>
        {
            foreach (var t in r.Root("root").Tables(0, "items")) t.Ints(0, "values");
        });
        Assert.Contains("too much data", e.Message);
    }

    [Fact]
    public void WrongIdentifierAndBadTypesAreRefused()
    {
        var (bytes, _, _) = TinyTflite.Build();
        var other = (byte[])bytes.Clone();
        other[4] = (byte)'X';
        Assert.Contains("TFL3", Assert.Throws<ModelException>(() => TfliteImporter.Import(other, Src)).Message);
    }

    [Fact]
    public void RandomCorruptionOnlyEverGivesModelException()
    {
        var (bytes, _, _) = TinyTflite.Build();
        var rng = new Random(1234);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var b = (byte[])bytes.Clone();
            int n = 1 + rng.Next(4);
            for (int i = 0; i < n; i++) b[rng.Next(b.Length)] = (byte)rng.Next(256);
            try { TfliteImporter.Import(b, Src); }
            catch (ModelException e) { refused++; Assert.Contains(Src, e.Message); }
        }
        Assert.True(refused > 0);
    }

    [MlperfTinyFact]
    public void TruncatedRealModelsAreRefused()
    {
        foreach (var file in new[] { "kws_ref_model.tflite", "ad01_int8.tflite" })
        {
            var bytes = File.ReadAllBytes(MlperfTinyData.Model(file));
            for (int len = 0; len < bytes.Length; len += Math.Max(1, bytes.Length / 97))
                Assert.Throws<ModelException>(() => TfliteImporter.Import(bytes[..len], file));
        }
    }

    [MlperfTinyFact]
    public void ModelLoaderOpensTfliteWithQuantizationAndHybridWeights()
    {
        var g = ModelLoader.Load(MlperfTinyData.Model("kws_ref_model.tflite"));
        Assert.Equal("tflite", g.Format);
        var conv = g.Nodes.First(n => n.OpType == "CONV_2D");
        var w = g[conv.Inputs[1]];
        Assert.Equal(DataType.Int8, w.Type);
        Assert.True(w.Quant!.PerChannel);
        Assert.Equal(w.Shape[0], w.Quant.Scales.Length);

        var hybrid = ModelLoader.Load(MlperfTinyData.Model("kws_ref_model_float32.tflite"));
        var hconv = hybrid.Nodes.First(n => n.OpType == "CONV_2D");
        Assert.Equal(DataType.Float32, hybrid[hconv.Inputs[0]].Type);
        Assert.Equal(DataType.Int8, hybrid[hconv.Inputs[1]].Type);
    }
}
