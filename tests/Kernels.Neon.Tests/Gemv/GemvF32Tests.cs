using EdgeRuntime.Kernels.Gemv;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Gemv;

public unsafe class GemvF32Tests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    /// <summary>Stated bound: |Δ| ≤ 2·(cols+2)·2^-24·(Σ|w·x| + |bias| + |y0|).</summary>
    [Theory, MemberData(nameof(Paths))]
    public void AllShapesUpTo67WithinStatedBound(KernelPath path)
    {
        var r = new Random(7);
        int maxCols = KernelPaths.IsModel(path) ? 20 : 4 * 16 + 3;
        foreach (int rows in new[] { 1, 3, 4, 5, 9 })
            for (int cols = 0; cols <= maxCols; cols++)
            {
                bool acc = cols % 2 == 1, useBias = cols % 3 != 0;
                var w = TestData.RandomF(r, rows * cols);
                var x = TestData.RandomF(r, cols);
                var bias = TestData.RandomF(r, rows);
                var y0 = TestData.RandomF(r, rows + 1);
                var want = (float[])y0.Clone(); var got = (float[])y0.Clone();
                fixed (float* pw = w, px = x, pb = bias, pr = want, pg = got)
                {
                    GemvReference.F32(rows, cols, pw, px, pr, useBias ? pb : null, acc);
                    GemvF32.Run(path, rows, cols, pw, px, pg, useBias ? pb : null, acc);
                }
                for (int i = 0; i < rows; i++)
                {
                    double scale = (acc ? Math.Abs(y0[i]) : 0) + (useBias ? Math.Abs(bias[i]) : 0);
                    for (int c = 0; c < cols; c++) scale += Math.Abs(w[i * cols + c] * x[c]);
                    Assert.True(Math.Abs(got[i] - want[i]) <= 2.0 * (cols + 2) * Math.Pow(2, -24) * scale + 1e-30,
                        $"{KernelPaths.Name(path)} rows={rows} cols={cols} row {i}: {got[i]} vs {want[i]}");
                }
                Assert.Equal(y0[rows], got[rows]);
            }
    }
}
