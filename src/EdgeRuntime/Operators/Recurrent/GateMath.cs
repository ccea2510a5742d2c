using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>Vectorized exp/sigmoid/tanh for gate math (Cephes-style expf, about 2 ulp; tanh and
/// sigmoid within 2e-7 absolute of the exact functions). The same polynomial runs in the scalar tail,
/// so a result never depends on where a vector boundary falls.</summary>
public static unsafe class GateMath
{
    private const float ExpHi = 88.3762626647949f;
    private const float ExpLo = -87.3365478515625f;
    private const float Log2e = 1.44269504088896341f;
    private const float C1 = 0.693359375f;
    private const float C2 = -2.12194440e-4f;
    private const float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f,
        P3 = 4.1665795894E-2f, P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = Math.Clamp(x, ExpLo, ExpHi);
        float fx = MathF.Floor(x * Log2e + 0.5f);
        x = x - fx * C1 - fx * C2;
        float z = x * x;
        float y = ((((P0 * x + P1) * x + P2) * x + P3) * x + P4) * x + P5;
        y = y * z + x + 1f;
        return y * BitConverter.Int32BitsToSingle(((int)fx + 127) << 23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpLo)), Vector256.Create(ExpHi));
        var fx = Vector256.Floor(x * Vector256.Create(Log2e) + Vector256.Create(0.5f));
        x = x - fx * Vector256.Create(C1) - fx * Vector256.Create(C2);
        var z = x * x;
        var y = ((((Vector256.Create(P0) * x + Vector256.Create(P1)) * x + Vector256.Create(P2)) * x
            + Vector256.Create(P3)) * x + Vector256.Create(P4)) * x + Vector256.Create(P5);
        y = y * z + x + Vector256<float>.One;
        var e = (Vector256.ConvertToInt32(fx) + Vector256.Create(127)) << 23;
        return y * e.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(ExpLo)), Vector128.Create(ExpHi));
        var fx = Vector128.Floor(x * Vector128.Create(Log2e) + Vector128.Create(0.5f));
        x = x - fx * Vector128.Create(C1) - fx * Vector128.Create(C2);
        var z = x * x;
        var y = ((((Vector128.Create(P0) * x + Vector128.Create(P1)) * x + Vector128.Create(P2)) * x
            + Vector128.Create(P3)) * x + Vector128.Create(P4)) * x + Vector128.Create(P5);
        y = y * z + x + Vector128<float>.One;
        var e = (Vector128.ConvertToInt32(fx) + Vector128.Create(127)) << 23;
        return y * e.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Exp(-x));

    /// <summary>tanh(x) = sign(x)·(1 − 2/(e^{2|x|}+1)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float ax = MathF.Abs(x);
        float t = 1f - 2f / (Exp(2f * ax) + 1f);
        return MathF.CopySign(t, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var t = Vector256<float>.One - Vector256.Create(2f) / (Exp(ax + ax) + Vector256<float>.One);
        var sign = x & Vector256.Create(-0f);
        return t | sign;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var t = Vector128<float>.One - Vector128.Create(2f) / (Exp(ax + ax) + Vector128<float>.One);
        var sign = x & Vector128.Create(-0f);
        return t | sign;
    }

    /// <summary>In place: x = sigmoid(x) over n floats.</summary>
    public static void SigmoidInPlace(float* x, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Sigmoid(Vector256.Load(x + i)).Store(x + i);
        for (; i <= n - 4; i += 4) Sigmoid(Vector128.Load(x + i)).Store(x + i);
        for (; i < n; i++) x[i] = Sigmoid(x[i]);
    }

    /// <summary>In place: x = tanh(x) over n floats.</summary>
    public static void TanhInPlace(float* x, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Tanh(Vector256.Load(x + i)).Store(x + i);
        for (; i <= n - 4; i += 4) Tanh(Vector128.Load(x + i)).Store(x + i);
        for (; i < n; i++) x[i] = Tanh(x[i]);
    }
}
