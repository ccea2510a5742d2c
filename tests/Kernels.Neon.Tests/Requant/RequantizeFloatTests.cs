using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Requant;

namespace EdgeRuntime.Kernels.Tests.Requant;

public unsafe class RequantizeFloatTests
{
    public static TheoryData<KernelPath> Paths => TestData.Int8Paths;

    [Theory, MemberData(nameof(Paths))]
    public void EveryAxisAndOutputTypeIsBitExactWithReference(KernelPath path)
    {
        var r = new Random(41 + (int)path);
        for (int trial = 0; trial < 60; trial++)
        {
            int rows = r.Next(1, 6), cols = r.Next(1, 70);
            int ldAcc = cols + r.Next(0, 3), ldDst = cols + r.Next(0, 3);
            var axis = (ScaleAxis)(trial % 3);
            bool unsigned = trial % 2 == 0;
            var acc = TestData.RandomI(r, rows * ldAcc, int.MinValue, int.MaxValue);
            for (int i = 0; i < acc.Length; i++)
                if (i % 3 == 0) acc[i] >>= r.Next(8, 31);                 // mostly in range
                else if (i % 5 == 0) acc[i] = r.Next(-300, 300) * 2 + 1; // ties at scale 0.5
            var bias = trial % 4 == 0 ? null : TestData.RandomI(r, rows, -100000, 100000);
            if (trial == 7) bias![0] = int.MaxValue;                      // wraps
            int n = axis == ScaleAxis.Row ? rows : axis == ScaleAxis.Column ? cols : 1;
            var scale = new float[n];
            for (int i = 0; i < n; i++) scale[i] = trial % 5 == 0 ? 0.5f : (float)Math.Pow(2, -r.Next(2, 20)) * (float)(0.5 + r.NextDouble());
            int zp = unsigned ? r.Next(0, 256) : r.Next(-128, 128);
            int min = unsigned ? r.Next(0, 100) : r.Next(-128, 0), max = unsigned ? r.Next(150, 256) : r.Next(0, 128);
            var want = new byte[rows * ldDst];
            var got = new byte[rows * ldDst];
            fixed (int* pa = acc, pb = bias) fixed (float* ps = scale) fixed (byte* pw = want, pg = got)
            {
                RequantizeFloatReference.Run(rows, cols, pa, ldAcc, pb, ps, axis, zp, pw, ldDst, min, max);
                RequantizeFloat.Run(path, rows, cols, pa, ldAcc, pb, ps, axis, zp, pg, ldDst, min, max);
            }
            Assert.True(want.AsSpan().SequenceEqual(got), $"{KernelPaths.Name(path)} {axis} rows={rows} cols={cols} trial={trial}");
        }
    }

    [Fact]
    public void ReferenceRoundsHalfToEvenInDouble()
    {
        Assert.Equal(2, RequantizeFloatReference.One(5, 0.5f, 0, -128, 127));   // 2.5 -> 2
        Assert.Equal(4, RequantizeFloatReference.One(7, 0.5f, 0, -128, 127));   // 3.5 -> 4
        Assert.Equal(unchecked((byte)-2), RequantizeFloatReference.One(-5, 0.5f, 0, -128, 127)); // -2.5 -> -2
        Assert.Equal(255, RequantizeFloatReference.One(1000, 1f, 10, 0, 255));
        // 0.1f is 0.100000001490116...: in double 5 · 0.1f = 0.50000000745 rounds up (float32 math would give 0.5 -> 0).
        Assert.Equal(1, RequantizeFloatReference.One(5, 0.1f, 0, -128, 127));
    }
}
