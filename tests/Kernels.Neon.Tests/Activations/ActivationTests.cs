using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;
using Xunit.Abstractions;

namespace EdgeRuntime.Kernels.Tests.Activations;

public class ActivationTests(ITestOutputHelper output)
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    /// <summary>The stated bounds (also in <see cref="ActivationKind"/>'s documentation).</summary>
    private static double Tolerance(ActivationKind kind, float x, float want) => kind switch
    {
        ActivationKind.Relu or ActivationKind.Relu6 or ActivationKind.LeakyRelu => 0,
        ActivationKind.Exp => 4e-7 * Math.Abs(want) + 1.2e-38,
        ActivationKind.Tanh => 4e-7 * Math.Abs(want) + 1e-37,
        ActivationKind.Sigmoid => 2.5e-7,
        ActivationKind.Elu => 1e-6 * Math.Abs(want) + 1e-37,
        ActivationKind.Gelu => 2e-7 * Math.Max(1, Math.Abs(x)),
        _ => 1e-6 * Math.Max(1, Math.Abs(x)),
    };

    private static float[] Grid()
    {
        var xs = new List<float>();
        for (float x = -30; x <= 30; x += 0.00731f) xs.Add(x);
        for (int e = -40; e <= 0; e++) { xs.Add(MathF.Pow(2, e) * 1.37f); xs.Add(-MathF.Pow(2, e) * 1.11f); }
        xs.AddRange([0f, -0f, 6f, 9f, 9.1f, 10f, -87f, -87.3f, -87.4f, -100f, 88f, 88.7f, 1e-30f, -1e-30f, float.Epsilon]);
        return xs.ToArray();
    }

    [Theory, MemberData(nameof(Paths))]
    public void AccuracyWithinStatedBound(KernelPath path)
    {
        var x = Grid();
        if (KernelPaths.IsModel(path)) x = x.Where((_, i) => i % 37 == 0).ToArray();
        var got = new float[x.Length];
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            float alpha = kind == ActivationKind.LeakyRelu ? 0.1f : kind == ActivationKind.Elu ? 1.3f : 0f;
            Activation.Run(path, kind, x, got, alpha);
            double worst = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (kind == ActivationKind.Exp && x[i] > 88.7f) continue;
                float want = ActivationsReference.Apply(kind, x[i], alpha);
                double err = Math.Abs((double)got[i] - want);
                double tol = Tolerance(kind, x[i], want);
                Assert.True(err <= tol, $"{KernelPaths.Name(path)} {kind}({x[i]:R}) = {got[i]:R}, want {want:R} (err {err:E3} > {tol:E3})");
                if (want != 0) worst = Math.Max(worst, err / Math.Max(Math.Abs(want), 1e-30));
            }
            output.WriteLine($"{KernelPaths.Name(path)} {kind}: max relative error {worst:E2}");
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void EveryLengthAndInPlace(KernelPath path)
    {
        var r = new Random(3);
        int maxLen = 4 * 16 + 3; // four widest vectors (AVX-512) + 3
        foreach (var kind in new[] { ActivationKind.Tanh, ActivationKind.Relu6, ActivationKind.Sigmoid })
            for (int n = 0; n <= maxLen; n += KernelPaths.IsModel(path) ? 7 : 1)
            {
                var x = TestData.RandomF(r, n, 5f);
                var buf = new float[n + 1];
                buf[n] = 12345f; // guard
                Activation.Run(path, kind, x, buf.AsSpan(0, n));
                Assert.Equal(12345f, buf[n]);
                var inPlace = (float[])x.Clone();
                Activation.Run(path, kind, inPlace, inPlace);
                for (int i = 0; i < n; i++)
                {
                    float want = ActivationsReference.Apply(kind, x[i]);
                    Assert.True(Math.Abs(buf[i] - want) <= Tolerance(kind, x[i], want), $"{kind} n={n} i={i}");
                    Assert.Equal(buf[i], inPlace[i]);
                }
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void SoftmaxWithinStatedBound(KernelPath path)
    {
        var r = new Random(11);
        for (int n = 0; n <= 67; n += KernelPaths.IsModel(path) ? 9 : 1)
        {
            var x = TestData.RandomF(r, n, 20f);
            var got = new float[n]; var want = new float[n];
            Softmax.Run(path, x, got);
            ActivationsReference.Softmax(x, want);
            float max = n > 0 ? x.Max() : 0;
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(got[i] - want[i]) <= (2e-6 + Math.Pow(2, -23) * Math.Abs(x[i] - max)) * want[i] + 1e-38, $"{KernelPaths.Name(path)} n={n} i={i}: {got[i]} vs {want[i]}");
        }
    }

    /// <summary>The tanh and sigmoid bounds over every 257th fp32 bit pattern of both signs (denormals to infinity),
    /// on the best path (all paths give bit-identical results; see <see cref="PathsAgreeBitForBit"/>).</summary>
    [Theory]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    public void TanhAndSigmoidBoundsHoldAcrossTheFloatRange(ActivationKind kind)
    {
        const int Chunk = 1 << 16;
        var x = new float[Chunk]; var y = new float[Chunk];
        double worst = 0; float at = 0;
        int n = 0;
        void Flush()
        {
            Activation.Run(kind, x.AsSpan(0, n), y.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                float want = ActivationsReference.Apply(kind, x[i]);
                double f = Math.Abs((double)y[i] - want) / Tolerance(kind, x[i], want);
                if (f > worst) { worst = f; at = x[i]; }
            }
            n = 0;
        }
        foreach (int sign in new[] { 1, -1 })
            for (long bits = 0; bits <= 0x7f800000; bits += 257)
            {
                x[n++] = sign * BitConverter.Int32BitsToSingle((int)bits);
                if (n == Chunk) Flush();
            }
        Flush();
        output.WriteLine($"{kind}: worst error {worst:F3} of the stated bound, at x = {at:R}");
        Assert.True(worst <= 1, $"{kind}({at:R}) exceeds the stated bound ({worst:F3}×)");
    }

    /// <summary>Every path (NEON model included) computes tanh, sigmoid and exp with FMA and IEEE division in the
    /// same order, so results are bit-identical across paths and vector widths.</summary>
    [Theory, MemberData(nameof(Paths))]
    public void PathsAgreeBitForBit(KernelPath path)
    {
        var x = Grid();
        if (KernelPaths.IsModel(path)) x = x.Where((_, i) => i % 13 == 0).ToArray();
        var got = new float[x.Length]; var scalar = new float[x.Length];
        foreach (var kind in new[] { ActivationKind.Tanh, ActivationKind.Sigmoid, ActivationKind.Exp })
        {
            Activation.Run(path, kind, x, got);
            Activation.Run(KernelPath.Scalar, kind, x, scalar);
            for (int i = 0; i < x.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(got[i]) == BitConverter.SingleToInt32Bits(scalar[i]), $"{KernelPaths.Name(path)} {kind}({x[i]:R}) = {got[i]:R}, scalar {scalar[i]:R}");
        }
    }

    [Fact]
    public void RejectsPartialOverlapAndLengthMismatch()
    {
        var buf = new float[10];
        Assert.Throws<ArgumentException>(() => Activation.Tanh(buf.AsSpan(0, 8), buf.AsSpan(1, 8)));
        Assert.Throws<ArgumentException>(() => Activation.Tanh(buf.AsSpan(0, 8), buf.AsSpan(0, 7)));
    }

    [Fact]
    public void ReferenceErfMatchesKnownValues()
    {
        // Abramowitz & Stegun table 7.1 values
        Assert.Equal(0.5204998778, ActivationsReference.Erf(0.5), 9);
        Assert.Equal(0.8427007929, ActivationsReference.Erf(1.0), 9);
        Assert.Equal(0.9953222650, ActivationsReference.Erf(2.0), 9);
        Assert.Equal(-0.9999779095, ActivationsReference.Erf(-3.0), 9);
        Assert.Equal(0.9999999846, ActivationsReference.Erf(4.0), 9);
    }
}
