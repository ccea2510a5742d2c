using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Lut;

namespace EdgeRuntime.Kernels.Tests.Lut;

public class Int8LutTests
{
    public static TheoryData<KernelPath> Paths => TestData.Int8Paths;

    [Theory, MemberData(nameof(Paths))]
    public void TblLookupEqualsTableForEveryByteAndLength(KernelPath path)
    {
        var table = new sbyte[256];
        Int8Lut.Build(Math.Tanh, 0.05, 3, 1.0 / 128, 0, table);
        var x = Enumerable.Range(-128, 256).Select(v => (sbyte)v).Concat(TestData.RandomS8(new Random(5), 37)).ToArray();
        for (int n = 0; n <= x.Length; n += KernelPaths.IsModel(path) ? 29 : 1)
        {
            var got = new sbyte[n]; var want = new sbyte[n];
            Int8Lut.Apply(path, x.AsSpan(0, n), got, table);
            Int8Lut.Reference(x.AsSpan(0, n), want, table);
            Assert.Equal(want, got);
        }
    }

    [Fact]
    public void BuildQuantizesTheFunction()
    {
        var table = new sbyte[256];
        Int8Lut.Build(v => v, 1.0, 0, 1.0, 0, table); // identity
        for (int q = -128; q <= 127; q++) Assert.Equal((sbyte)q, table[q + 128]);
        Int8Lut.Build(Math.Tanh, 0.1, 0, 1.0 / 128, 0, table);
        Assert.Equal((sbyte)127, table[255]);       // tanh(12.7)·128 clamps to 127
        Assert.Equal((sbyte)Math.Round(Math.Tanh(0.5) * 128, MidpointRounding.AwayFromZero), table[5 + 128]);
    }
}
