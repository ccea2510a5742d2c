using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>An fp32 element-wise function; parameters (alpha, beta...) are fields of the struct.
/// Scalar form is the reference; vector forms exist where <see cref="Vectorizable"/>.</summary>
public interface IUnaryOp
{
    bool Vectorizable { get; }
    float Apply(float x);
    Vector128<float> Apply(Vector128<float> x);
    Vector256<float> Apply(Vector256<float> x);
}

public readonly struct ReluOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => x > 0f ? x : 0f;
    public Vector128<float> Apply(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128<float>.Zero);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256<float>.Zero);
}

public readonly struct LeakyReluOp(float alpha) : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => x >= 0f ? x : alpha * x;
    public Vector128<float> Apply(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), x * alpha, x);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), x * alpha, x);
}

public readonly struct AbsOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => MathF.Abs(x);
    public Vector128<float> Apply(Vector128<float> x) => Vector128.Abs(x);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.Abs(x);
}

public readonly struct NegOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => -x;
    public Vector128<float> Apply(Vector128<float> x) => -x;
    public Vector256<float> Apply(Vector256<float> x) => -x;
}

public readonly struct SqrtOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => MathF.Sqrt(x);
    public Vector128<float> Apply(Vector128<float> x) => Vector128.Sqrt(x);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.Sqrt(x);
}

/// <summary>HardSigmoid: max(0, min(1, alpha*x + beta)).</summary>
public readonly struct HardSigmoidOp(float alpha, float beta) : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => MathF.Max(0f, MathF.Min(1f, alpha * x + beta));
    public Vector128<float> Apply(Vector128<float> x) => Vector128.Max(Vector128<float>.Zero, Vector128.Min(Vector128<float>.One, x * alpha + Vector128.Create(beta)));
    public Vector256<float> Apply(Vector256<float> x) => Vector256.Max(Vector256<float>.Zero, Vector256.Min(Vector256<float>.One, x * alpha + Vector256.Create(beta)));
}

/// <summary>HardSwish: x * max(0, min(1, x/6 + 1/2)).</summary>
public readonly struct HardSwishOp : IUnaryOp
{
    private const float A = 1f / 6f;
    public bool Vectorizable => true;
    public float Apply(float x) => x * MathF.Max(0f, MathF.Min(1f, A * x + 0.5f));
    public Vector128<float> Apply(Vector128<float> x) => x * Vector128.Max(Vector128<float>.Zero, Vector128.Min(Vector128<float>.One, x * A + Vector128.Create(0.5f)));
    public Vector256<float> Apply(Vector256<float> x) => x * Vector256.Max(Vector256<float>.Zero, Vector256.Min(Vector256<float>.One, x * A + Vector256.Create(0.5f)));
}

/// <summary>Helpers for functions that stay scalar (erf, gelu, log): MathF/double math.</summary>
public abstract class ScalarOnly
{
    public static Vector128<float> NoVector128() => throw new NotSupportedException();
    public static Vector256<float> NoVector256() => throw new NotSupportedException();
}

public readonly struct TanhOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => ActivationsF32.Tanh(x);
    public Vector128<float> Apply(Vector128<float> x) => ActivationsF32.Tanh(x);
    public Vector256<float> Apply(Vector256<float> x) => ActivationsF32.Tanh(x);
}

public readonly struct SigmoidOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => ActivationsF32.Sigmoid(x);
    public Vector128<float> Apply(Vector128<float> x) => ActivationsF32.Sigmoid(x);
    public Vector256<float> Apply(Vector256<float> x) => ActivationsF32.Sigmoid(x);
}

public readonly struct ExpOp : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => ActivationsF32.Exp(x);
    public Vector128<float> Apply(Vector128<float> x) => ActivationsF32.Exp(x);
    public Vector256<float> Apply(Vector256<float> x) => ActivationsF32.Exp(x);
}

public readonly struct LogOp : IUnaryOp
{
    public bool Vectorizable => false;
    public float Apply(float x) => MathF.Log(x);
    public Vector128<float> Apply(Vector128<float> x) => ScalarOnly.NoVector128();
    public Vector256<float> Apply(Vector256<float> x) => ScalarOnly.NoVector256();
}

public readonly struct EluOp(float alpha) : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => x >= 0 ? x : alpha * (ActivationsF32.Exp(x) - 1f);
    public Vector128<float> Apply(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), x, (ActivationsF32.Exp(x) - Vector128<float>.One) * alpha);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, (ActivationsF32.Exp(x) - Vector256<float>.One) * alpha);
}

public readonly struct SeluOp(float alpha, float gamma) : IUnaryOp
{
    public bool Vectorizable => true;
    public float Apply(float x) => x > 0 ? gamma * x : gamma * (alpha * ActivationsF32.Exp(x) - alpha);
    public Vector128<float> Apply(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x * gamma, (ActivationsF32.Exp(x) * alpha - Vector128.Create(alpha)) * gamma);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * gamma, (ActivationsF32.Exp(x) * alpha - Vector256.Create(alpha)) * gamma);
}

/// <summary>Gelu (opset 20): approximate "none" uses erf, "tanh" the tanh formula.</summary>
public readonly struct GeluOp(bool tanhApproximation) : IUnaryOp
{
    public bool Vectorizable => false;
    public float Apply(float x) => tanhApproximation
        ? 0.5f * x * (1f + MathF.Tanh(0.7978845608028654f * (x + 0.044715f * x * x * x)))
        : (float)(0.5 * x * (1.0 + ErfOp.ErfDouble(x * 0.7071067811865476)));
    public Vector128<float> Apply(Vector128<float> x) => ScalarOnly.NoVector128();
    public Vector256<float> Apply(Vector256<float> x) => ScalarOnly.NoVector256();
}

public readonly struct ErfOp : IUnaryOp
{
    public bool Vectorizable => false;
    public float Apply(float x) => (float)ErfDouble(x);
    public Vector128<float> Apply(Vector128<float> x) => ScalarOnly.NoVector128();
    public Vector256<float> Apply(Vector256<float> x) => ScalarOnly.NoVector256();

    /// <summary>erf in double precision (Abramowitz-Stegun 7.1.26 is too coarse; this uses the
    /// series for small |x| and a continued fraction of erfc for large |x|), rounded to float.</summary>
    public static double ErfDouble(double x)
    {
        double ax = Math.Abs(x);
        double r;
        if (ax < 2.5)
        {
            // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            r = sum * 1.1283791670955126;
        }
        else if (ax > 6) r = Math.Sign(x);
        else
        {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + 2/(x + ...)))))
            double f = ax;
            for (int k = 60; k >= 1; k--) f = ax + k / 2.0 / f;
            double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
            r = Math.Sign(x) * (1 - erfc);
        }
        return r;
    }
}
