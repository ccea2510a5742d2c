using EdgeRuntime.Import.Onnx;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Tests.Import.Onnx;

/// <summary>The bounds-checked protobuf reader the ONNX importer is built on.</summary>
public class OnnxProtoWireTests
{
    private static ulong ReadOneVarint(byte[] b)
    {
        var r = new ProtoWire(b);
        return r.ReadVarint();
    }

    [Fact]
    public void VarintsDecodeUpToTenBytes()
    {
        Assert.Equal(300UL, ReadOneVarint([0xac, 0x02]));
        Assert.Equal(ulong.MaxValue, ReadOneVarint([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    }

    [Fact]
    public void TruncatedVarintIsAnError()
    {
        Assert.Throws<ProtoWireException>(() => ReadOneVarint([0x80, 0x80]));
        Assert.Throws<ProtoWireException>(() => ReadOneVarint([]));
    }

    [Fact]
    public void OverlongOrOverflowingVarintIsAnError()
    {
        Assert.Throws<ProtoWireException>(() => ReadOneVarint([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]));
        Assert.Throws<ProtoWireException>(() => ReadOneVarint([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]));
    }

    [Fact]
    public void LengthPastTheEndIsAnError()
    {
        byte[] b = new ProtoWriter().Tag(8, WireType.LengthDelimited).Varint(10).Raw(1, 2, 3).ToArray();
        var e = Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(b));
        Assert.Contains("past the end", e.Message);
        // A huge length must not overflow the bounds check.
        byte[] huge = new ProtoWriter().Tag(9, WireType.LengthDelimited).Varint(ulong.MaxValue).ToArray();
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(huge));
    }

    [Fact]
    public void TruncatedFixedWidthValuesAreErrors()
    {
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(new ProtoWriter().Tag(4, WireType.Fixed32).Raw(1, 2).ToArray()));
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(new ProtoWriter().Tag(10, WireType.Fixed64).Raw(1, 2, 3, 4).ToArray()));
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(new ProtoWriter().BytesField(4, [1, 2, 3, 4, 5]).ToArray()));
    }

    [Fact]
    public void BadTagsAndWireTypesAreErrors()
    {
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse([0x00, 0x01])); // field 0
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse([0x0e, 0x01])); // wire type 6
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse([0x0c])); // stray end group
    }

    [Fact]
    public void UnknownFieldsOfEveryWireTypeAreSkipped()
    {
        byte[] b = new ProtoWriter()
            .VarintField(100, 12345)
            .Fixed32Field(101, 7)
            .Fixed64Field(102, 9)
            .StringField(103, "ignored")
            .Tag(104, WireType.StartGroup).VarintField(1, 5).Tag(2, WireType.StartGroup).Tag(2, WireType.EndGroup).Tag(104, WireType.EndGroup)
            .StringField(8, "t")
            .VarintField(2, 1)
            .Fixed32Field(2, 99) // known field number, wrong wire type: skipped like an unknown field
            .ToArray();
        var t = OnnxTensor.Parse(b);
        Assert.Equal("t", t.Name);
        Assert.Equal(1, t.DataType);
    }

    [Fact]
    public void MismatchedOrUnterminatedGroupIsAnError()
    {
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(new ProtoWriter().Tag(104, WireType.StartGroup).Tag(105, WireType.EndGroup).ToArray()));
        Assert.Throws<ProtoWireException>(() => OnnxTensor.Parse(new ProtoWriter().Tag(104, WireType.StartGroup).VarintField(1, 1).ToArray()));
    }

    [Fact]
    public void PackedAndUnpackedRepeatedScalarsAreBothRead()
    {
        byte[] b = new ProtoWriter()
            .PackedVarints(1, [2, 3])         // dims packed
            .VarintField(1, 4)                // and one more unpacked
            .FloatField(4, 1.5f)              // float_data unpacked
            .PackedFixed32(4, [BitConverter.SingleToUInt32Bits(2.5f)])
            .VarintField(7, -1)               // int64_data unpacked, negative
            .PackedVarints(7, [unchecked((ulong)-2L), 3])
            .VarintField(5, -7)               // int32_data: negative int32 is a 10-byte varint
            .PackedFixed64(10, [BitConverter.DoubleToUInt64Bits(0.25)])
            .Fixed64Field(10, BitConverter.DoubleToUInt64Bits(0.5))
            .ToArray();
        var t = OnnxTensor.Parse(b);
        Assert.Equal([2L, 3L, 4L], t.Dims);
        Assert.Equal([1.5f, 2.5f], t.FloatData);
        Assert.Equal([-1L, -2L, 3L], t.Int64Data);
        Assert.Equal([-7], t.Int32Data);
        Assert.Equal([0.25, 0.5], t.DoubleData);
    }

    [Fact]
    public void NestingDeeperThanTheLimitIsAnError()
    {
        // GraphProto -> node -> attribute g -> GraphProto ... nested past the limit.
        byte[] Nest(int levels)
        {
            byte[] graph = new ProtoWriter().StringField(2, "leaf").ToArray();
            for (int i = 0; i < levels; i++)
            {
                byte[] attr = new ProtoWriter().StringField(1, "body").BytesField(6, graph).ToArray();
                byte[] node = new ProtoWriter().StringField(4, "If").BytesField(5, attr).ToArray();
                graph = new ProtoWriter().BytesField(1, node).ToArray();
            }
            return new ProtoWriter().BytesField(7, graph).ToArray();
        }
        OnnxModel.Parse(Nest(10)); // fine
        var e = Assert.Throws<ProtoWireException>(() => OnnxModel.Parse(Nest(40)));
        Assert.Contains("nested", e.Message);
        var m = Assert.ThrowsAny<ModelException>(() => OnnxImporter.Load(Nest(40), "deep.onnx"));
        Assert.Contains("deep.onnx", m.Message);
    }

    [Fact]
    public void OneofKeepsTheLastValue()
    {
        byte[] dim = new ProtoWriter().VarintField(1, 5).StringField(2, "N").ToArray();
        byte[] shape = new ProtoWriter().BytesField(1, dim).ToArray();
        byte[] tensorType = new ProtoWriter().VarintField(1, 1).BytesField(2, shape).ToArray();
        byte[] type = new ProtoWriter().BytesField(1, tensorType).BytesField(4, []).ToArray();
        byte[] vi = new ProtoWriter().StringField(1, "x").BytesField(2, type).ToArray();
        byte[] graph = new ProtoWriter().BytesField(11, vi).ToArray();
        var m = OnnxModel.Parse(new ProtoWriter().BytesField(7, graph).ToArray());
        var t = m.Graph!.Input[0].Type!;
        Assert.Equal(OnnxTypeCase.SequenceType, t.ValueCase);
        Assert.Null(t.TensorType);

        byte[] type2 = new ProtoWriter().BytesField(1, tensorType).ToArray();
        var m2 = OnnxModel.Parse(new ProtoWriter().BytesField(7, new ProtoWriter().BytesField(11, new ProtoWriter().BytesField(2, type2).ToArray()).ToArray()).ToArray());
        var d = m2.Graph!.Input[0].Type!.TensorType!.Shape!.Dim[0];
        Assert.False(d.HasValue);
        Assert.Equal("N", d.DimParam);
    }
}
