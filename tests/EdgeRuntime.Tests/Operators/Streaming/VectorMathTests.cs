using EdgeRuntime.Operators.Streaming;

namespace EdgeRuntime.Tests.Operators.Streaming;

public unsafe class VectorMathTests
{
    private static float[] Sweep()
    {
        var xs = new List<float>();
        for (double v = -12; v <= 12; v += 0.00137) xs.Add((float)v);
        for (int e = -40; e < 0; e++) { xs.Add(MathF.Pow(2, e)); xs.Add(-MathF.Pow(2, e) * 1.37f); }
        xs.AddRange([0f, -0f, 0.625f, -0.625f, 0.62499f, 9.1f, 50f, -90f, float.MaxValue, float.MinValue]);
        return xs.ToArray();
    }

    [Fact]
    public void TanhIsAccurate()
    {
        var x = Sweep();
        var y = (float[])x.Clone();
        fixed (float* p = y) VectorMath.Tanh(p, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(x[i]);
            double err = Math.Abs(y[i] - exact);
            // ≤ 2 ulp of the result, or 1.2e-7 absolute for results near ±1
            double ulp = Math.Max(Math.Abs(MathF.BitIncrement((float)Math.Abs(exact)) - (float)Math.Abs(exact)), float.Epsilon);
            Assert.True(err <= 2 * ulp || err <= 1.2e-7, $"tanh({x[i]:R}) = {y[i]:R}, exact {exact:R}, error {err:E2} ({err / ulp:F1} ulp)");
        }
    }

    [Fact]
    public void SigmoidIsAccurate()
    {
        var x = Sweep();
        var y = (float[])x.Clone();
        fixed (float* p = y) VectorMath.Sigmoid(p, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = 1 / (1 + Math.Exp(-(double)x[i]));
            Assert.True(Math.Abs(y[i] - exact) <= 2e-7 * Math.Max(exact, 1e-30) + 1e-30 || Math.Abs(y[i] - exact) <= 1.2e-7,
                $"sigmoid({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }
}
