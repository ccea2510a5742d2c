namespace EdgeRuntime.Tests.Import.Tflite;

/// <summary>A tiny int8 TFLite model built field by field from the schema: x int8[1,4] (s=0.5, zp=1)
/// → FULLY_CONNECTED (w int8[2,4] s=0.25, bias int32[2], RELU) → y int8[1,2] (s=0.5, zp=−3).</summary>
public static class TinyTflite
{
    public static readonly sbyte[] Weights = [1, -2, 3, -4, 5, 6, -7, 8];
    public static readonly int[] Bias = [10, -20];

    public static FbTable Quant(float scale, long zp) => new FbTable()
        .Add(2, new FbVector(new[] { scale })).Add(3, new FbVector(new[] { zp }));

    public static FbTable Tensor(string name, int[] shape, sbyte type, uint buffer, FbTable? quant)
    {
        var t = new FbTable().Add(0, new FbVector(shape)).Add(1, type).Add(2, buffer).Add(3, name);
        if (quant is not null) t.Add(4, quant);
        return t;
    }

    public static (byte[] Bytes, FlatBufferWriter Writer, FbTable Tensors) Build()
    {
        var tensors = new FbVector(new[]
        {
            Tensor("x", [1, 4], 9, 0, Quant(0.5f, 1)),
            Tensor("w", [2, 4], 9, 1, Quant(0.25f, 0)),
            Tensor("b", [2], 2, 2, Quant(0.125f, 0)),
            Tensor("y", [1, 2], 9, 0, Quant(0.5f, -3)),
        });
        var op = new FbTable().Add(0, 0u).Add(1, new FbVector(new[] { 0, 1, 2 })).Add(2, new FbVector(new[] { 3 }))
            .Add(3, (byte)8).Add(4, new FbTable().Add(0, (sbyte)1));
        var subgraph = new FbTable().Add(0, tensors).Add(1, new FbVector(new[] { 0 })).Add(2, new FbVector(new[] { 3 }))
            .Add(3, new FbVector(new[] { op })).Add(4, "main");
        var biasBytes = Bias.SelectMany(BitConverter.GetBytes).ToArray();
        var model = new FbTable()
            .Add(0, 3u)
            .Add(1, new FbVector(new[] { new FbTable().Add(0, (sbyte)9).Add(2, 1).Add(3, 9) }))
            .Add(2, new FbVector(new[] { subgraph }))
            .Add(4, new FbVector(new[] { new FbTable(), new FbTable().Add(0, new FbVector(Weights.Select(v => (byte)v).ToArray())), new FbTable().Add(0, new FbVector(biasBytes)) }));
        var (bytes, writer) = FlatBufferWriter.Build(model);
        return (bytes, writer, subgraph);
    }
}
