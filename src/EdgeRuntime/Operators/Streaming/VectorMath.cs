using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>Vectorized accurate tanh and sigmoid for the streaming audio ops (Cephes-style: an odd
/// minimax polynomial for |x| &lt; 0.625, else 1 − 2/(e^{2|x|}+1) with a range-reduced exp).
/// Measured error against double-precision tanh: ≤ 2 ulp relative near 0, ≤ 1.2e-7 absolute elsewhere
/// (see VectorMathTests). This is not NAM's fast_tanh (~2% error). Tails use libm (MathF).
/// To be replaced by the kernels family (src/Kernels.Neon/Activations) once it is in main.</summary>
internal static unsafe class VectorMath
{
    private const float Log2e = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;

    public static void Tanh(float* x, long n)
    {
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Tanh(Vector256.Load(x + i)).Store(x + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) Tanh(Vector128.Load(x + i)).Store(x + i);
        for (; i < n; i++) x[i] = MathF.Tanh(x[i]);
    }

    public static void Sigmoid(float* x, long n)
    {
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Sigmoid(Vector256.Load(x + i)).Store(x + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) Sigmoid(Vector128.Load(x + i)).Store(x + i);
        for (; i < n; i++) x[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.3f));
        var fx = Vector256.Floor(x * Vector256.Create(Log2e) + Vector256.Create(0.5f));
        var r = x - fx * Vector256.Create(C1) - fx * Vector256.Create(C2);
        var z = r * r;
        var y = Vector256.Create(1.9875691500E-4f);
        y = y * r + Vector256.Create(1.3981999507E-3f);
        y = y * r + Vector256.Create(8.3334519073E-3f);
        y = y * r + Vector256.Create(4.1665795894E-2f);
        y = y * r + Vector256.Create(1.6666665459E-1f);
        y = y * r + Vector256.Create(5.0000001201E-1f);
        y = y * z + r + Vector256<float>.One;
        var pow2 = Vector256.ShiftLeft(Vector256.ConvertToInt32(fx) + Vector256.Create(127), 23).AsSingle();
        return y * pow2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(-87.3f)), Vector128.Create(88.3f));
        var fx = Vector128.Floor(x * Vector128.Create(Log2e) + Vector128.Create(0.5f));
        var r = x - fx * Vector128.Create(C1) - fx * Vector128.Create(C2);
        var z = r * r;
        var y = Vector128.Create(1.9875691500E-4f);
        y = y * r + Vector128.Create(1.3981999507E-3f);
        y = y * r + Vector128.Create(8.3334519073E-3f);
        y = y * r + Vector128.Create(4.1665795894E-2f);
        y = y * r + Vector128.Create(1.6666665459E-1f);
        y = y * r + Vector128.Create(5.0000001201E-1f);
        y = y * z + r + Vector128<float>.One;
        var pow2 = Vector128.ShiftLeft(Vector128.ConvertToInt32(fx) + Vector128.Create(127), 23).AsSingle();
        return y * pow2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        // small |x|: x + x·z·P(z), z = x²
        var z = x * x;
        var p = Vector256.Create(-5.70498872745E-3f);
        p = p * z + Vector256.Create(2.06390887954E-2f);
        p = p * z + Vector256.Create(-5.37397155531E-2f);
        p = p * z + Vector256.Create(1.33314422036E-1f);
        p = p * z + Vector256.Create(-3.33332819422E-1f);
        var small = p * z * x + x;
        // large |x|: 1 − 2/(e^{2|x|} + 1), sign restored
        var e = Exp(Vector256.Min(ax, Vector256.Create(9.1f)) * Vector256.Create(2f));
        var big = Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
        big |= x & Vector256.Create(-0.0f);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(0.625f)), small, big);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var z = x * x;
        var p = Vector128.Create(-5.70498872745E-3f);
        p = p * z + Vector128.Create(2.06390887954E-2f);
        p = p * z + Vector128.Create(-5.37397155531E-2f);
        p = p * z + Vector128.Create(1.33314422036E-1f);
        p = p * z + Vector128.Create(-3.33332819422E-1f);
        var small = p * z * x + x;
        var e = Exp(Vector128.Min(ax, Vector128.Create(9.1f)) * Vector128.Create(2f));
        var big = Vector128<float>.One - Vector128.Create(2f) / (e + Vector128<float>.One);
        big |= x & Vector128.Create(-0.0f);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(0.625f)), small, big);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Exp(-x));
}
