using Attribute = EdgeRuntime.Ir.Attribute;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators.Nn;

public class GemmMatMulTests
{
    [Theory]
    [InlineData(false, false, 1.0f, 1.0f, 2)]
    [InlineData(true, false, 0.5f, 2.0f, 1)]
    [InlineData(false, true, 1.0f, 1.0f, 1)]
    [InlineData(true, true, -1.5f, 0.25f, 0)]
    [InlineData(false, false, 2.0f, 1.0f, 3)]
    public void GemmMatchesDefinition(bool ta, bool tb, float alpha, float beta, int cKind)
    {
        int m = 5, n = 7, k = 6;
        var rnd = new Random(m * 100 + (ta ? 1 : 0) + (tb ? 2 : 0) + cKind);
        var a = NnTestGraph.Random(rnd, m * k);
        var b = NnTestGraph.Random(rnd, k * n);
        // cKind: 0 none, 1 [N], 2 [M,N], 3 [M,1]
        int[]? cshape = cKind switch { 1 => [n], 2 => [m, n], 3 => [m, 1], _ => null };
        var c = cshape is null ? null : NnTestGraph.Random(rnd, cshape.Aggregate(1, (p, d) => p * d));
        var node = new Node("Gemm", "fc", cshape is null ? ["a", "b"] : ["a", "b", "c"], ["y"])
            .Set("transA", Attribute.Of(ta ? 1L : 0L)).Set("transB", Attribute.Of(tb ? 1L : 0L))
            .Set("alpha", Attribute.Of(alpha)).Set("beta", Attribute.Of(beta));
        var inputs = new List<(string, int[], float[])> { ("a", ta ? [k, m] : [m, k], a), ("b", tb ? [n, k] : [k, n], b) };
        if (c is not null) inputs.Add(("c", cshape!, c));
        var (y, shape) = NnTestGraph.Run(node, inputs.ToArray());
        Assert.Equal([m, n], shape);
        var want = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                double cv = cKind switch { 1 => c![j], 2 => c![i * n + j], 3 => c![i], _ => 0 };
                want[i * n + j] = (float)(alpha * s + beta * cv);
            }
        NnTestGraph.Close(want, y);
    }

    [Fact]
    public void MatMulBroadcastsBatchesAndPromotesVectors()
    {
        var rnd = new Random(3);
        var a = NnTestGraph.Random(rnd, 2 * 1 * 3 * 4);
        var b = NnTestGraph.Random(rnd, 5 * 4 * 6);
        var (y, shape) = NnTestGraph.Run(new Node("MatMul", "mm", ["a", "b"], ["y"]), ("a", [2, 1, 3, 4], a), ("b", [5, 4, 6], b));
        Assert.Equal([2, 5, 3, 6], shape);
        var want = new float[2 * 5 * 3 * 6];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 5; j++)
                for (int r = 0; r < 3; r++)
                    for (int col = 0; col < 6; col++)
                    {
                        double s = 0;
                        for (int p = 0; p < 4; p++) s += a[(i * 3 + r) * 4 + p] * b[(j * 4 + p) * 6 + col];
                        want[((i * 5 + j) * 3 + r) * 6 + col] = (float)s;
                    }
        NnTestGraph.Close(want, y);

        var v = NnTestGraph.Random(rnd, 4);
        var (yv, sv) = NnTestGraph.Run(new Node("MatMul", "mv", ["v", "b"], ["y"]), ("v", [4], v), ("b", [5, 4, 6], b));
        Assert.Equal([5, 6], sv);
        for (int j = 0; j < 5; j++)
            for (int col = 0; col < 6; col++)
            {
                double s = 0;
                for (int p = 0; p < 4; p++) s += v[p] * b[(j * 4 + p) * 6 + col];
                Assert.Equal((float)s, yv[j * 6 + col], 4);
            }
    }

    [Fact]
    public void InnerDimensionMismatchNamesTheNode()
    {
        var g = NnTestGraph.Single(new Node("MatMul", "proj", ["a", "b"], ["y"]), ("a", [2, 3]), ("b", [4, 5]));
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("MatMul 'proj'", e.Message);
        g = NnTestGraph.Single(new Node("Gemm", "fc", ["a", "b"], ["y"]), ("a", [2, 3]), ("b", [4, 5]));
        e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("Gemm 'fc'", e.Message);
    }
}
