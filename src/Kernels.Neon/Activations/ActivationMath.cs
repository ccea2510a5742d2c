using System.Runtime.CompilerServices;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Activations;

/// <summary>The vectorized approximations, written once over <see cref="IFloatIsa{TV}"/>.</summary>
internal static class ActivationMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693145751953125f;         // 12 significant bits: n·Ln2Hi exact for |n| < 2^12
    private const float Ln2Lo = 1.42860682030941723212e-6f;
    private const float ExpMin = -87.33654f, ExpMax = 88.72283f;

    /// <summary>e^r − 1 for |r| ≤ ~0.35 (Taylor to r^8; truncation ≤ 3e-9 relative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Expm1Core<TIsa, TV>(TV r) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV p = TIsa.Broadcast(1f / 40320f);
        p = TIsa.Fma(TIsa.Broadcast(1f / 5040f), p, r);
        p = TIsa.Fma(TIsa.Broadcast(1f / 720f), p, r);
        p = TIsa.Fma(TIsa.Broadcast(1f / 120f), p, r);
        p = TIsa.Fma(TIsa.Broadcast(1f / 24f), p, r);
        p = TIsa.Fma(TIsa.Broadcast(1f / 6f), p, r);
        p = TIsa.Fma(TIsa.Broadcast(0.5f), p, r);
        return TIsa.Fma(r, TIsa.Mul(r, r), p);              // r + r²·p
    }

    /// <summary>Range reduction x = n·ln2 + r; returns r and n (integral float, clamped to [−126, 127]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Reduce<TIsa, TV>(TV x, out TV n) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        n = TIsa.Round(TIsa.Mul(x, TIsa.Broadcast(Log2E)));
        n = TIsa.Min(TIsa.Max(n, TIsa.Broadcast(-126f)), TIsa.Broadcast(127f));
        TV r = TIsa.Fma(x, n, TIsa.Broadcast(-Ln2Hi));
        return TIsa.Fma(r, n, TIsa.Broadcast(-Ln2Lo));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        x = TIsa.Min(TIsa.Max(x, TIsa.Broadcast(ExpMin)), TIsa.Broadcast(ExpMax));
        TV r = Reduce<TIsa, TV>(x, out TV n);
        TV e = TIsa.Add(Expm1Core<TIsa, TV>(r), TIsa.Broadcast(1f));
        return TIsa.Mul(e, TIsa.Pow2(n));
    }

    /// <summary>e^x − 1 for x ≤ 0 (used by tanh and elu): accurate relative to the result near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Expm1Neg<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        x = TIsa.Max(x, TIsa.Broadcast(-87f));
        TV r = Reduce<TIsa, TV>(x, out TV n);
        TV q = Expm1Core<TIsa, TV>(r);
        TV s = TIsa.Pow2(n);
        return TIsa.Fma(TIsa.Sub(s, TIsa.Broadcast(1f)), s, q); // 2^n·q + (2^n − 1)
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV ax = TIsa.Min(TIsa.Abs(x), TIsa.Broadcast(9.1f));
        TV e = Expm1Neg<TIsa, TV>(TIsa.Mul(ax, TIsa.Broadcast(-2f)));        // in (−1, 0]
        TV t = TIsa.Div(TIsa.Sub(TIsa.Zero, e), TIsa.Add(e, TIsa.Broadcast(2f)));
        return TIsa.CopySign(t, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV one = TIsa.Broadcast(1f);
        return TIsa.Div(one, TIsa.Add(one, Exp<TIsa, TV>(TIsa.Sub(TIsa.Zero, x))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Elu<TIsa, TV>(TV x, TV alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV neg = TIsa.Mul(alpha, Expm1Neg<TIsa, TV>(TIsa.Min(x, TIsa.Zero)));
        return TIsa.Select(TIsa.LessThan(TIsa.Zero, x), x, neg);
    }

    /// <summary>0.5·x·erfc(−x/√2), erfc from Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Gelu<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV z = TIsa.Mul(TIsa.Abs(x), TIsa.Broadcast(0.70710678118654752f));
        TV one = TIsa.Broadcast(1f);
        TV t = TIsa.Div(one, TIsa.Fma(one, z, TIsa.Broadcast(0.3275911f)));
        TV p = TIsa.Broadcast(1.061405429f);
        p = TIsa.Fma(TIsa.Broadcast(-1.453152027f), p, t);
        p = TIsa.Fma(TIsa.Broadcast(1.421413741f), p, t);
        p = TIsa.Fma(TIsa.Broadcast(-0.284496736f), p, t);
        p = TIsa.Fma(TIsa.Broadcast(0.254829592f), p, t);
        TV erfcAbs = TIsa.Mul(TIsa.Mul(p, t), Exp<TIsa, TV>(TIsa.Sub(TIsa.Zero, TIsa.Mul(z, z)))); // erfc(|z|)
        // x ≥ 0: 0.5·x·(2 − erfc(z)); x < 0: 0.5·x·erfc(|z|)
        TV f = TIsa.Select(TIsa.LessThan(x, TIsa.Zero), erfcAbs, TIsa.Sub(TIsa.Broadcast(2f), erfcAbs));
        return TIsa.Mul(TIsa.Mul(x, TIsa.Broadcast(0.5f)), f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV GeluTanh<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV x3 = TIsa.Mul(TIsa.Mul(x, x), x);
        TV u = TIsa.Mul(TIsa.Fma(x, x3, TIsa.Broadcast(0.044715f)), TIsa.Broadcast(0.79788456080286536f));
        TV th = Tanh<TIsa, TV>(u);
        return TIsa.Mul(TIsa.Mul(x, TIsa.Broadcast(0.5f)), TIsa.Add(TIsa.Broadcast(1f), th));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TIsa, TV>(ActivationKind kind, TV x, TV alpha) where TIsa : struct, IFloatIsa<TV> where TV : struct
        => kind switch
        {
            ActivationKind.Relu => TIsa.Max(x, TIsa.Zero),
            ActivationKind.Relu6 => TIsa.Min(TIsa.Max(x, TIsa.Zero), TIsa.Broadcast(6f)),
            ActivationKind.LeakyRelu => TIsa.Select(TIsa.LessThan(x, TIsa.Zero), TIsa.Mul(x, alpha), x),
            ActivationKind.Tanh => Tanh<TIsa, TV>(x),
            ActivationKind.Sigmoid => Sigmoid<TIsa, TV>(x),
            ActivationKind.Exp => Exp<TIsa, TV>(x),
            ActivationKind.Elu => Elu<TIsa, TV>(x, alpha),
            ActivationKind.Gelu => Gelu<TIsa, TV>(x),
            _ => GeluTanh<TIsa, TV>(x),
        };
}
