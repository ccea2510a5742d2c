using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Activations;

/// <summary>Vectorized fp32 exp, tanh and sigmoid (portable <see cref="Vector128"/>/<see cref="Vector256"/>,
/// so NEON and AVX2 both get them). exp: Cody-Waite range reduction by ln 2, a degree-6 polynomial
/// (Cephes expf), 2^n applied in two halves so results stay right from the denormal range up to
/// overflow; NaN propagates. tanh: odd polynomial for |x| &lt; 0.625, 1 - 2/(e^{2|x|}+1) above.
/// sigmoid: 1/(1+e^{-|x|}), times e^{-|x|} for x &lt; 0. Accurate to a few ulp of <see cref="ActivationsReference"/> (tested).
/// Span entry points: x and y must have the same length and may alias exactly (in place), not partially.</summary>
public static class ActivationsF32
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float ExpMax = 89f, ExpMin = -104f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
        P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    private const float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
        T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;
    private const float TanhSmall = 0.625f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var xc = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpMin)), Vector256.Create(ExpMax));
        var n = Vector256.Floor(xc * Log2E + Vector256.Create(0.5f));
        var r = xc - n * Ln2Hi - n * Ln2Lo;
        var p = Vector256.Create(P0);
        p = p * r + Vector256.Create(P1);
        p = p * r + Vector256.Create(P2);
        p = p * r + Vector256.Create(P3);
        p = p * r + Vector256.Create(P4);
        p = p * r + Vector256.Create(P5);
        var y = p * (r * r) + r + Vector256<float>.One;
        var ni = Vector256.ConvertToInt32(n);
        var half = Vector256.ShiftRightArithmetic(ni, 1);
        var s1 = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        var s2 = Vector256.ShiftLeft(ni - half + Vector256.Create(127), 23).AsSingle();
        var result = y * s1 * s2;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        var xc = Vector128.Min(Vector128.Max(x, Vector128.Create(ExpMin)), Vector128.Create(ExpMax));
        var n = Vector128.Floor(xc * Log2E + Vector128.Create(0.5f));
        var r = xc - n * Ln2Hi - n * Ln2Lo;
        var p = Vector128.Create(P0);
        p = p * r + Vector128.Create(P1);
        p = p * r + Vector128.Create(P2);
        p = p * r + Vector128.Create(P3);
        p = p * r + Vector128.Create(P4);
        p = p * r + Vector128.Create(P5);
        var y = p * (r * r) + r + Vector128<float>.One;
        var ni = Vector128.ConvertToInt32(n);
        var half = Vector128.ShiftRightArithmetic(ni, 1);
        var s1 = Vector128.ShiftLeft(half + Vector128.Create(127), 23).AsSingle();
        var s2 = Vector128.ShiftLeft(ni - half + Vector128.Create(127), 23).AsSingle();
        var result = y * s1 * s2;
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var z = x * x;
        var p = Vector256.Create(T0);
        p = p * z + Vector256.Create(T1);
        p = p * z + Vector256.Create(T2);
        p = p * z + Vector256.Create(T3);
        p = p * z + Vector256.Create(T4);
        var small = p * z * x + x;
        var e = Exp(ax + ax);
        var large = Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
        large = Vector256.ConditionalSelect(Vector256.Create(-0f), x, large); // copy the sign of x
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhSmall)), small,
            Vector256.ConditionalSelect(Vector256.Equals(x, x), large, x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var z = x * x;
        var p = Vector128.Create(T0);
        p = p * z + Vector128.Create(T1);
        p = p * z + Vector128.Create(T2);
        p = p * z + Vector128.Create(T3);
        p = p * z + Vector128.Create(T4);
        var small = p * z * x + x;
        var e = Exp(ax + ax);
        var large = Vector128<float>.One - Vector128.Create(2f) / (e + Vector128<float>.One);
        large = Vector128.ConditionalSelect(Vector128.Create(-0f), x, large);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(TanhSmall)), small,
            Vector128.ConditionalSelect(Vector128.Equals(x, x), large, x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        // e = exp(-|x|) never overflows: x ≥ 0 → 1/(1+e); x < 0 → e/(1+e) (keeps tiny results exact).
        var e = Exp(-Vector256.Abs(x));
        var pos = Vector256<float>.One / (Vector256<float>.One + e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), e * pos, pos);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x)
    {
        // e = exp(-|x|) never overflows: x ≥ 0 → 1/(1+e); x < 0 → e/(1+e) (keeps tiny results exact).
        var e = Exp(-Vector128.Abs(x));
        var pos = Vector128<float>.One / (Vector128<float>.One + e);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), e * pos, pos);
    }

    /// <summary>Scalar tail: the same algorithm on one lane (so a tensor's values do not depend on its length).</summary>
    public static float Exp(float x) => Exp(Vector128.CreateScalarUnsafe(x)).ToScalar();
    public static float Tanh(float x) => Tanh(Vector128.CreateScalarUnsafe(x)).ToScalar();
    public static float Sigmoid(float x) => Sigmoid(Vector128.CreateScalarUnsafe(x)).ToScalar();

    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Run<ExpF>(x, y);
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Run<TanhF>(x, y);
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Run<SigmoidF>(x, y);

    private interface IFn
    {
        static abstract Vector128<float> Apply(Vector128<float> x);
        static abstract Vector256<float> Apply(Vector256<float> x);
    }
    private readonly struct ExpF : IFn
    {
        public static Vector128<float> Apply(Vector128<float> x) => Exp(x);
        public static Vector256<float> Apply(Vector256<float> x) => Exp(x);
    }
    private readonly struct TanhF : IFn
    {
        public static Vector128<float> Apply(Vector128<float> x) => Tanh(x);
        public static Vector256<float> Apply(Vector256<float> x) => Tanh(x);
    }
    private readonly struct SigmoidF : IFn
    {
        public static Vector128<float> Apply(Vector128<float> x) => Sigmoid(x);
        public static Vector256<float> Apply(Vector256<float> x) => Sigmoid(x);
    }

    private static unsafe void Run<TF>(ReadOnlySpan<float> x, Span<float> y) where TF : IFn
    {
        if (y.Length != x.Length) throw new ArgumentException($"x has {x.Length} elements, y {y.Length}");
        if (x.Overlaps(y, out int offset) && offset != 0) throw new ArgumentException("x and y overlap partially");
        fixed (float* px = x)
        fixed (float* py = y)
        {
            int n = x.Length, i = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; i <= n - 8; i += 8) TF.Apply(Vector256.Load(px + i)).Store(py + i);
            for (; i <= n - 4; i += 4) TF.Apply(Vector128.Load(px + i)).Store(py + i);
            for (; i < n; i++) py[i] = TF.Apply(Vector128.CreateScalarUnsafe(px[i])).ToScalar();
        }
    }
}
