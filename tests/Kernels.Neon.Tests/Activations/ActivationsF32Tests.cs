using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Kernels.Tests.Activations;

public class ActivationsF32Tests
{
    /// <summary>Distance in units in the last place (same-sign floats compare by bit pattern).</summary>
    private static long Ulps(float a, float b)
    {
        if (a == b) return 0;
        if (float.IsNaN(a) || float.IsNaN(b)) return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        int ia = BitConverter.SingleToInt32Bits(a), ib = BitConverter.SingleToInt32Bits(b);
        if ((ia < 0) != (ib < 0)) return Math.Abs((long)(ia & int.MaxValue)) + Math.Abs((long)(ib & int.MaxValue));
        return Math.Abs((long)ia - ib);
    }

    private static float[] Grid(float lo, float hi, int n) => Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();

    private static readonly float[] Specials = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-30f, -1e-30f, 88.7f, -87.3f, -103f, 0.625f, -0.625f, 0.6249f];

    public static TheoryData<string> Functions() => new() { "exp", "tanh", "sigmoid" };

    /// <summary>The stated bounds (<see cref="ActivationMath"/>) plus one ulp for the MathF reference's own rounding:
    /// exp and tanh in ulps; sigmoid absolutely (it is accurate to 2.2e-7 absolute, not relative, in its negative tail).</summary>
    private static (Func<float, float> Ref, Action<ReadOnlySpan<float>, Span<float>> Span, Func<Vector128<float>, Vector128<float>> V128,
        Func<Vector256<float>, Vector256<float>> V256, float Lo, float Hi, long MaxUlps, double MaxAbs) Fn(string name) => name switch
    {
        "exp" => (ActivationsF32Reference.Exp, ActivationsF32.Exp, ActivationsF32.Exp, ActivationsF32.Exp, -104f, 89f, 3, 0),
        "tanh" => (ActivationsF32Reference.Tanh, ActivationsF32.Tanh, ActivationsF32.Tanh, ActivationsF32.Tanh, -12f, 12f, 7, 0),
        _ => (ActivationsF32Reference.Sigmoid, ActivationsF32.Sigmoid, ActivationsF32.Sigmoid, ActivationsF32.Sigmoid, -90f, 90f, 0, 2.5e-7),
    };

    private static void Check(string name, float x, float expected, float actual, long maxUlps, double maxAbs)
    {
        if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"{name}({x}) = {actual}, expected NaN");
        else if (maxAbs > 0) Assert.True(Math.Abs((double)expected - actual) <= maxAbs, $"{name}({x:R}) = {actual:R}, expected {expected:R}");
        // Results in the denormal range are compared absolutely (a few denormal steps).
        else if (MathF.Abs(expected) < 1.2e-38f) Assert.True(MathF.Abs(expected - actual) <= 8 * float.Epsilon, $"{name}({x}) = {actual}, expected {expected}");
        else Assert.True(Ulps(expected, actual) <= maxUlps, $"{name}({x}) = {actual:R}, expected {expected:R} ({Ulps(expected, actual)} ulp)");
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void SpanMatchesReferenceWithinUlps(string name)
    {
        var f = Fn(name);
        var x = Grid(f.Lo, f.Hi, 200_001).Concat(Specials).ToArray();
        var y = new float[x.Length];
        f.Span(x, y);
        for (int i = 0; i < x.Length; i++) Check(name, x[i], f.Ref(x[i]), y[i], f.MaxUlps, f.MaxAbs);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void EveryWidthAndTailGivesTheSameValues(string name)
    {
        var f = Fn(name);
        var rnd = new Random(5);
        for (int n = 0; n <= 35; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)(rnd.NextDouble() * 16 - 8)).ToArray();
            var y = new float[n + 1];
            y[n] = 12345f; // guard after the output
            f.Span(x, y.AsSpan(0, n));
            Assert.Equal(12345f, y[n]);
            for (int i = 0; i < n; i++)
            {
                Check(name, x[i], f.Ref(x[i]), y[i], f.MaxUlps, f.MaxAbs);
                Assert.Equal(f.V128(Vector128.Create(x[i])).GetElement(0), y[i]);
                Assert.Equal(f.V256(Vector256.Create(x[i])).GetElement(3), y[i]);
            }
        }
    }

    [Fact]
    public void InPlaceIsAllowedPartialOverlapIsNot()
    {
        var x = Grid(-5, 5, 37);
        var expected = x.Select(ActivationsF32Reference.Tanh).ToArray();
        ActivationsF32.Tanh(x, x);
        for (int i = 0; i < x.Length; i++) Assert.True(Ulps(expected[i], x[i]) <= 7);
        var buf = new float[10];
        Assert.Throws<ArgumentException>(() => ActivationsF32.Exp(buf.AsSpan(0, 8), buf.AsSpan(1, 8)));
        Assert.Throws<ArgumentException>(() => ActivationsF32.Exp(buf.AsSpan(0, 8), buf.AsSpan(0, 7)));
    }
}
