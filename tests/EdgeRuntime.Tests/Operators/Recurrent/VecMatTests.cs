using EdgeRuntime.Operators.Recurrent;

namespace EdgeRuntime.Tests.Operators.Recurrent;

public unsafe class VecMatTests
{
    [Theory]
    [InlineData(1, 24)] [InlineData(8, 24)] [InlineData(16, 64)] [InlineData(64, 192)] [InlineData(7, 3)]
    [InlineData(64, 1)] [InlineData(5, 37)] [InlineData(33, 100)]
    public void MatchesTheScalarReference(int k, int n)
    {
        var r = new Random(k * 1000 + n);
        int ldb = n + 3;
        var x = Enumerable.Range(0, k).Select(_ => (float)r.NextDouble() * 2 - 1).ToArray();
        var b = Enumerable.Range(0, k * ldb).Select(_ => (float)r.NextDouble() * 2 - 1).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)r.NextDouble()).ToArray();
        foreach (bool withBias in new[] { true, false })
        {
            var y = new float[n];
            var want = new float[n];
            fixed (float* px = x, pb = b, pbias = bias, py = y, pw = want)
            {
                VecMat.Run(k, n, px, pb, ldb, withBias ? pbias : null, py);
                VecMat.Reference(k, n, px, pb, ldb, withBias ? pbias : null, pw);
            }
            for (int j = 0; j < n; j++)
            {
                double bound = 2.0 * (k + 1) * Math.Pow(2, -24) * (Enumerable.Range(0, k).Sum(p => Math.Abs(x[p] * b[p * ldb + j])) + Math.Abs(withBias ? bias[j] : 0)) + 1e-30;
                Assert.True(Math.Abs(y[j] - want[j]) <= bound, $"k={k} n={n} j={j}: {y[j]} vs {want[j]}");
            }
        }
    }
}
