using EdgeRuntime.Kernels.Elementwise;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Elementwise;

public unsafe class RowOpsF32Tests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    private static (int rows, int cols, int pad)[] Shapes(KernelPath p) => KernelPaths.IsModel(p)
        ? [(1, 1, 0), (3, 5, 2), (2, 9, 0)]
        : [(1, 1, 0), (1, 3, 0), (3, 5, 2), (64, 8, 0), (64, 8, 8), (7, 33, 1), (2, 16, 0), (5, 17, 3)];

    [Theory, MemberData(nameof(Paths))]
    public void MulAddMatchesReference(KernelPath path)
    {
        var r = new Random(11);
        foreach (var (rows, cols, pad) in Shapes(path))
            foreach (bool withC in new[] { false, true })
            {
                int ld = cols + pad;
                var a = TestData.RandomF(r, rows * ld, 3); var b = TestData.RandomF(r, rows * ld, 3); var c = TestData.RandomF(r, rows * ld, 3);
                var want = new float[rows * ld]; var got = new float[rows * ld];
                Array.Fill(got, 777f); Array.Fill(want, 777f);
                fixed (float* pa = a, pb = b, pc = c, pw = want, pg = got)
                {
                    RowOpsReference.MulAdd(rows, cols, pa, ld, pb, ld, withC ? pc : null, ld, pw, ld);
                    RowOpsF32.MulAdd(path, rows, cols, pa, ld, pb, ld, withC ? pc : null, ld, pg, ld);
                }
                for (int i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(got[i] - want[i]) <= Math.Abs(want[i]) * Math.Pow(2, -23), $"{KernelPaths.Name(path)} {rows}x{cols}+{pad} c={withC} at {i}: {got[i]} vs {want[i]}");
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void MulAddInPlaceOnStridedRows(KernelPath path)
    {
        // FiLM on a gated block: scale the first half of [rows, 2·cols] rows in place
        var r = new Random(12);
        int rows = 5, cols = 6, ld = 12;
        var x = TestData.RandomF(r, rows * ld); var s = TestData.RandomF(r, rows * 2 * cols);
        var want = (float[])x.Clone();
        fixed (float* px = x, ps = s, pw = want)
        {
            RowOpsReference.MulAdd(rows, cols, pw, ld, ps, 2 * cols, ps + cols, 2 * cols, pw, ld);
            RowOpsF32.MulAdd(path, rows, cols, px, ld, ps, 2 * cols, ps + cols, 2 * cols, px, ld);
        }
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - want[i]) <= Math.Abs(want[i]) * Math.Pow(2, -23), $"at {i}");
    }

    [Theory, MemberData(nameof(Paths))]
    public void AddIsExact(KernelPath path)
    {
        var r = new Random(13);
        foreach (int n in KernelPaths.IsModel(path) ? new[] { 1, 7 } : new[] { 1, 3, 15, 16, 17, 64, 512, 515 })
        {
            var a = TestData.RandomF(r, n); var b = TestData.RandomF(r, n);
            var want = new float[n]; var got = new float[n];
            fixed (float* pa = a, pb = b, pw = want, pg = got)
            {
                RowOpsReference.Add(n, pa, pb, pw);
                RowOpsF32.Add(path, n, pa, pb, pg);
                RowOpsF32.Add(path, n, pa, pb, pa); // in place
            }
            Assert.Equal(want, got);
            Assert.Equal(want, a);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void LerpMatchesReference(KernelPath path)
    {
        var r = new Random(14);
        foreach (var (rows, cols, pad) in Shapes(path))
        {
            int ld = cols + pad;
            var al = TestData.RandomF(r, rows * ld); var x1 = TestData.RandomF(r, rows * ld, 4); var x0 = TestData.RandomF(r, rows * ld, 4);
            var want = new float[rows * ld]; var got = new float[rows * ld];
            fixed (float* pa = al, p1 = x1, p0 = x0, pw = want, pg = got)
            {
                RowOpsReference.Lerp(rows, cols, pa, ld, p1, ld, p0, ld, pw, ld);
                RowOpsF32.Lerp(path, rows, cols, pa, ld, p1, ld, p0, ld, pg, ld);
            }
            for (int i = 0; i < rows * ld; i++)
            {
                if (i % ld >= cols) { Assert.Equal(0f, got[i]); continue; }
                double tol = Math.Pow(2, -23) * (Math.Abs(x0[i]) + Math.Abs(al[i]) * (Math.Abs(x1[i]) + Math.Abs(x0[i])));
                Assert.True(Math.Abs(got[i] - want[i]) <= tol, $"{KernelPaths.Name(path)} at {i}: {got[i]} vs {want[i]}");
            }
        }
    }
}
