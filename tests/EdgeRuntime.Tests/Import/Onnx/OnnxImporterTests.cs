using EdgeRuntime.Import;
using EdgeRuntime.Import.Onnx;
using EdgeRuntime.Ir;
using EdgeRuntime.Tests.Conformance.Onnx;

namespace EdgeRuntime.Tests.Import.Onnx;

public class OnnxImporterTests
{
    private static OnnxValueInfo Value(string name, int elemType, params long[] dims)
    {
        var shape = new OnnxShape();
        foreach (long d in dims)
            shape.Dim.Add(d >= 0 ? OnnxDim.Of(d) : OnnxDim.Param("N"));
        return new OnnxValueInfo { Name = name, Type = new OnnxType { TensorType = new OnnxTensorType { ElemType = elemType, Shape = shape } } };
    }

    private static OnnxModel Model(OnnxGraph g, long opset = 13)
    {
        var m = new OnnxModel { IrVersion = 8, Graph = g, ProducerName = "test" };
        m.OpsetImport.Add(new OnnxOpsetId { Domain = "", Version = opset });
        return m;
    }

    private static string Write(OnnxModel m)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgert-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, m.ToByteArray());
        return path;
    }

    private static OnnxModel ConvModel()
    {
        var g = new OnnxGraph { Name = "conv" };
        g.Input.Add(Value("x", 1, -1, 2, 5, 5));
        g.Input.Add(Value("w", 1, 4, 2, 3, 3));
        g.Output.Add(Value("y", 1, -1, 4, 3, 3));
        var w = new OnnxTensor { Name = "w", DataType = 1 };
        w.Dims.AddRange([4, 2, 3, 3]);
        w.FloatData.AddRange(Enumerable.Range(0, 72).Select(i => i * 0.5f));
        g.Initializer.Add(w);
        var bias = new OnnxTensor { Name = "b", DataType = 1, RawData = new byte[16] };
        bias.Dims.Add(4);
        g.Initializer.Add(bias);
        var node = new OnnxNode { OpType = "Conv", Name = "conv0" };
        node.Input.AddRange(["x", "w", "b"]);
        node.Output.Add("y");
        node.Attribute.Add(new OnnxAttribute { Name = "kernel_shape", Type = OnnxAttributeType.Ints, Ints = { 3, 3 } });
        node.Attribute.Add(new OnnxAttribute { Name = "auto_pad", Type = OnnxAttributeType.String, S = "VALID"u8.ToArray() });
        node.Attribute.Add(new OnnxAttribute { Name = "group", I = 1 }); // IR v1 style: no type field
        g.Node.Add(node);
        return Model(g, 11);
    }

    [Fact]
    public void ImportsInitializersInputsAttributesAndOpset()
    {
        var g = OnnxImporter.Load(ConvModel().ToByteArray(), "conv.onnx");
        Assert.Equal(["x"], g.Inputs);
        Assert.Equal(["y"], g.Outputs);
        Assert.Equal(11, g.Opset);
        Assert.Equal([-1, 2, 5, 5], g["x"].Shape);
        Assert.True(g["w"].IsConstant);
        Assert.Equal([4, 2, 3, 3], g["w"].Shape);
        Assert.Equal(35.5f, g["w"].ConstantFloats[71]);
        Assert.Equal(16, g["b"].Constant!.Length);
        var n = Assert.Single(g.Nodes);
        Assert.Equal("Conv", n.OpType);
        Assert.Equal([3L, 3L], n.GetInts("kernel_shape")!);
        Assert.Equal("VALID", n.GetString("auto_pad", ""));
        Assert.Equal(1, n.GetInt("group", 0));
    }

    [Fact]
    public void TypedFieldsOfEveryIntegerWidthAreDecoded()
    {
        var g = new OnnxGraph { Name = "t" };
        var i64 = new OnnxTensor { Name = "i64", DataType = 7, Int64Data = { -3, 1L << 40 } };
        i64.Dims.Add(2);
        var i32 = new OnnxTensor { Name = "i32", DataType = 6, Int32Data = { -7, 9 } };
        i32.Dims.Add(2);
        var i8 = new OnnxTensor { Name = "i8", DataType = 3, Int32Data = { -2, 127 } };
        i8.Dims.Add(2);
        var f64 = new OnnxTensor { Name = "f64", DataType = 11, DoubleData = { 0.25 } };
        var u64 = new OnnxTensor { Name = "u64", DataType = 13, Uint64Data = { ulong.MaxValue } };
        g.Initializer.AddRange([i64, i32, i8, f64, u64]);
        g.Output.Add(Value("i64", 7, 2));
        var m = OnnxImporter.Load(Model(g).ToByteArray(), "typed.onnx");
        Assert.Equal([-3L, 1L << 40], m["i64"].ConstantInt64s.ToArray());
        Assert.Equal([-7, 9], m["i32"].ConstantInt32s.ToArray());
        Assert.Equal([-2L, 127L], m["i8"].ConstantAsInt64());
        Assert.Equal(0.25, BitConverter.ToDouble(m["f64"].Constant!));
        Assert.Empty(m["f64"].Shape);
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(m["u64"].Constant!));
    }

    [Fact]
    public void ConstantNodesBecomeConstantTensors()
    {
        var g = new OnnxGraph { Name = "c" };
        var t = new OnnxTensor { Name = "", DataType = 1, FloatData = { 1, 2, 3 } };
        t.Dims.Add(3);
        var c1 = new OnnxNode { OpType = "Constant", Output = { "a" }, Attribute = { new OnnxAttribute { Name = "value", Type = OnnxAttributeType.Tensor, T = t } } };
        var c2 = new OnnxNode { OpType = "Constant", Output = { "b" }, Attribute = { new OnnxAttribute { Name = "value_ints", Type = OnnxAttributeType.Ints, Ints = { 4, 5 } } } };
        g.Node.AddRange([c1, c2]);
        g.Output.AddRange([Value("a", 1, 3), Value("b", 7, 2)]);
        var m = OnnxImporter.Load(Model(g).ToByteArray(), "const.onnx");
        Assert.Empty(m.Nodes);
        Assert.Equal([1f, 2f, 3f], m["a"].ConstantFloats.ToArray());
        Assert.Equal([4L, 5L], m["b"].ConstantInt64s.ToArray());
    }

    [Fact]
    public void ExternalDataIsRefusedNamingTheTensor()
    {
        var m = ConvModel();
        var w = m.Graph!.Initializer[0];
        w.FloatData.Clear();
        w.DataLocation = OnnxTensor.DataLocationExternal;
        w.ExternalData.Add(new("location", "weights.bin"));
        var e = Assert.Throws<ModelException>(() => OnnxImporter.Load(m.ToByteArray(), "ext.onnx"));
        Assert.Contains("ext.onnx", e.Message);
        Assert.Contains("'w'", e.Message);
        Assert.Contains("external", e.Message);
    }

    [Fact]
    public void InitializerWithTooFewValuesIsRefused()
    {
        var m = ConvModel();
        m.Graph!.Initializer[0].FloatData.RemoveAt(0);
        var e = Assert.Throws<ModelException>(() => OnnxImporter.Load(m.ToByteArray(), "short.onnx"));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("71", e.Message);
        m.Graph!.Initializer[1].RawData = new byte[15];
        Assert.Throws<ModelException>(() => OnnxImporter.Load(m.ToByteArray(), "short.onnx"));
    }

    [Fact]
    public void UnsupportedElementTypesAreNamed()
    {
        var g = new OnnxGraph { Name = "s" };
        g.Input.Add(Value("s", 8, 2));
        g.Output.Add(Value("s", 8, 2));
        var e = Assert.Throws<UnsupportedDataTypeException>(() => OnnxImporter.Load(Model(g).ToByteArray(), "str.onnx"));
        Assert.Contains("string", e.Message);
        Assert.Contains("'s'", e.Message);
    }

    [Fact]
    public void UndefinedNodeInputIsRefusedNamingNodeAndTensor()
    {
        var m = ConvModel();
        m.Graph!.Node[0].Input[0] = "nope";
        var e = Assert.Throws<ModelException>(() => OnnxImporter.Load(m.ToByteArray(), "bad.onnx"));
        Assert.Contains("'conv0'", e.Message);
        Assert.Contains("'nope'", e.Message);
    }

    [Fact]
    public void EveryTruncationOfAModelIsAModelExceptionNamingTheFile()
    {
        byte[] bytes = ConvModel().ToByteArray();
        for (int len = 0; len < bytes.Length; len++)
        {
            byte[] cut = bytes[..len];
            var e = Assert.ThrowsAny<ModelException>(() => OnnxImporter.Load(cut, "cut.onnx"));
            Assert.Contains("cut.onnx", e.Message);
        }
    }

    [Fact]
    public void RandomBytesAreAModelException()
    {
        var rnd = new Random(1234);
        for (int trial = 0; trial < 500; trial++)
        {
            var junk = new byte[rnd.Next(1, 2000)];
            rnd.NextBytes(junk);
            var e = Assert.ThrowsAny<ModelException>(() => OnnxImporter.Load(junk, "junk.onnx"));
            Assert.Contains("junk.onnx", e.Message);
        }
    }

    [Fact]
    public void FlippedBytesInAModelNeverCrash()
    {
        byte[] bytes = ConvModel().ToByteArray();
        var rnd = new Random(99);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] b = (byte[])bytes.Clone();
            for (int k = 0; k < 3; k++) b[rnd.Next(b.Length)] = (byte)rnd.Next(256);
            try
            {
                OnnxImporter.Load(b, "flip.onnx");
            }
            catch (ModelException e)
            {
                Assert.Contains("flip.onnx", e.Message);
            }
        }
    }

    [Fact]
    public void ModelLoaderDispatchesOnnxAndWrapsErrors()
    {
        string path = Write(ConvModel());
        try
        {
            var g = ModelLoader.Load(path);
            Assert.Equal("onnx", g.Format);
            Assert.Equal(path, g.Source);
            File.WriteAllBytes(path, [0x0a, 0xff, 0xff, 0xff]);
            var e = Assert.ThrowsAny<ModelException>(() => ModelLoader.Load(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [OnnxDataFact]
    public void TruncatedRealModelsAreModelExceptions()
    {
        foreach (string name in new[] { "test_conv_with_strides_padding", "test_gru_defaults", "test_batchnorm_example" })
        {
            string? dir = OnnxTestData.Case(name);
            if (dir is null) continue;
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, "model.onnx"));
            OnnxImporter.Load(bytes, name); // the whole file imports
            for (int len = 0; len < bytes.Length; len += Math.Max(1, bytes.Length / 97))
            {
                byte[] cut = bytes[..len];
                var e = Assert.ThrowsAny<ModelException>(() => OnnxImporter.Load(cut, name + ".onnx"));
                Assert.Contains(name + ".onnx", e.Message);
            }
        }
    }
}
