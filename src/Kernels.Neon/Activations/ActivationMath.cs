using System.Runtime.CompilerServices;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Activations;

/// <summary>The project's one implementation of the vectorized transcendental activations, written once over
/// <see cref="IFloatIsa{TV}"/> (scalar, Vector128, NEON, its software model, AVX2 and AVX-512 all run this code;
/// <see cref="ActivationsF32"/>, <see cref="Activation"/>, <see cref="Softmax"/> and the recurrent cells call it).
/// Every path uses fused multiply-add and IEEE division, so all paths and all vector widths give bit-identical
/// results (a value never depends on where a vector boundary or block boundary falls).
/// <para><b>tanh</b>: tanh(x) = x·P(x²)/Q(x²) for |x| ≤ 8 and ±1 beyond, P and Q of degree 4 in x², a minimax fit of the
/// relative error on [0, 9.02] (2.1e-8 in exact arithmetic) evaluated by Estrin's scheme; one division, and the
/// saturation is a select computed beside the polynomials (no clamp on the dependency chain).
/// Measured over every fp32 input: ≤ 3.5e-7 relative error (≤ 6 ulp) against the exact tanh; stated and tested bound
/// 4e-7 relative against the fp32-rounded reference. |result| ≤ 1, odd, NaN → NaN.</para>
/// <para><b>sigmoid</b>: σ(x) = ½ + ½·tanh(x/2), with the same P and Q (scaled by powers of two, exactly) folded into
/// one quotient: σ = (Q̃ + x·P̃)/(2Q̃). Absolute error ≤ 2.2e-7 over every fp32 input (stated and tested: 2.5e-7 against
/// the fp32-rounded reference), relative ≤ 1e-6 for x ≥ −2;
/// results in [0, 1]. In the far negative tail (σ ≪ 1e-7) it is accurate in absolute terms only: fine for gates and
/// audio, not a log-probability.</para>
/// <para>Latency (the recurrent cells are latency bound at one sample per call): x², x⁴, x⁸ and the four Estrin pairs
/// overlap, so one tanh is 6 dependent multiplies/FMAs, one division and one select (about 30 cycles on Zen 5),
/// against ~12 dependent operations + a division for the exp-based forms.</para>
/// <para><b>exp</b>: Cephes expf: Cody–Waite reduction by ln 2 (n = round(x·log2 e)), a degree-5 polynomial, 2^n applied
/// in two halves so results are right from the denormal range (x ≥ −104 → ≥ 2^-150) up to overflow; ≤ 3 ulp; NaN → NaN.</para></summary>
public static class ActivationMath
{
    // tanh(x) ≈ x·P(t)/Q(t), t = x² (fitted on |x| ≤ 9.02); ±1 beyond |x| = TanhSaturate (tanh(8) = 1 − 2.3e-7).
    private const float TanhSaturate = 8f;
    private const float P0 = 1f, P1 = 0.13379666636246204f, P2 = 0.0034939725403967548f, P3 = 2.0582434068950048e-05f, P4 = 1.3317600826254652e-08f;
    private const float Q0 = 1f, Q1 = 0.46712981954224259f, Q2 = 0.02587083986387358f, Q3 = 0.00032829900536297812f, Q4 = 7.7614201087895179e-07f;

    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float ExpMax = 89f, ExpMin = -104f;
    private const float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
        E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /// <summary>a + b·t + t²·(c + d·t) + t⁴·e (Estrin: two levels of independent FMAs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Estrin4<TIsa, TV>(TV t, TV t2, TV t4, float a, float b, float c, float d, float e)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV lo = TIsa.Fma(TIsa.Broadcast(a), TIsa.Broadcast(b), t);
        TV hi = TIsa.Fma(TIsa.Broadcast(c), TIsa.Broadcast(d), t);
        return TIsa.Fma(TIsa.Fma(lo, hi, t2), TIsa.Broadcast(e), t4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        // The saturation test and its ±1 are computed beside the polynomials; only the final select is on the
        // dependency chain (no input or output clamp). |R(x)| ≤ 1 for |x| ≤ TanhSaturate (checked over every float).
        TV big = TIsa.LessThan(TIsa.Broadcast(TanhSaturate), TIsa.Abs(x));
        TV one = TIsa.CopySign(TIsa.Broadcast(1f), x);
        TV t = TIsa.Mul(x, x);
        TV t2 = TIsa.Mul(t, t);
        TV t4 = TIsa.Mul(t2, t2);
        TV p = Estrin4<TIsa, TV>(t, t2, t4, P0, P1, P2, P3, P4);
        TV q = Estrin4<TIsa, TV>(t, t2, t4, Q0, Q1, Q2, Q3, Q4);
        return TIsa.Select(big, one, TIsa.Div(TIsa.Mul(x, p), q));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        // σ(x) = ½ + ½·tanh(x/2) = (Q(x²/4) + x·½P(x²/4)) / (2·Q(x²/4)); the /4^j and ½ scalings are exact.
        // Beyond |x| = 2·TanhSaturate the result is 0 or 1 (selected, as in Tanh); inside it stays in [0, 1].
        TV big = TIsa.LessThan(TIsa.Broadcast(2 * TanhSaturate), TIsa.Abs(x));
        TV sat = TIsa.Select(TIsa.LessThan(TIsa.Zero, x), TIsa.Broadcast(1f), TIsa.Zero);
        TV t = TIsa.Mul(x, x);
        TV t2 = TIsa.Mul(t, t);
        TV t4 = TIsa.Mul(t2, t2);
        TV p = Estrin4<TIsa, TV>(t, t2, t4, P0 / 2, P1 / 8, P2 / 32, P3 / 128, P4 / 512);
        TV q = Estrin4<TIsa, TV>(t, t2, t4, Q0, Q1 / 4, Q2 / 16, Q3 / 64, Q4 / 256);
        return TIsa.Select(big, sat, TIsa.Div(TIsa.Fma(q, x, p), TIsa.Add(q, q)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        TV xc = TIsa.Min(TIsa.Broadcast(ExpMax), TIsa.Max(TIsa.Broadcast(ExpMin), x));
        TV n = TIsa.Round(TIsa.Mul(xc, TIsa.Broadcast(Log2E)));
        TV r = TIsa.Fma(xc, n, TIsa.Broadcast(-Ln2Hi));     // exact: n·Ln2Hi has ≤ 17 significant bits
        r = TIsa.Fma(r, n, TIsa.Broadcast(-Ln2Lo));
        TV r2 = TIsa.Mul(r, r);
        TV p = TIsa.Fma(TIsa.Broadcast(E1), TIsa.Broadcast(E0), r);
        p = TIsa.Fma(TIsa.Broadcast(E2), p, r);
        p = TIsa.Fma(TIsa.Broadcast(E3), p, r);
        p = TIsa.Fma(TIsa.Broadcast(E4), p, r);
        p = TIsa.Fma(TIsa.Broadcast(E5), p, r);
        TV y = TIsa.Fma(TIsa.Add(r, TIsa.Broadcast(1f)), p, r2);
        // 2^n = 2^h · 2^(n−h), h = floor(n/2): both factors stay in the normal range for n ∈ [−150, 128].
        TV h = TIsa.Round(TIsa.Fma(TIsa.Broadcast(-0.25f), n, TIsa.Broadcast(0.5f)));
        return TIsa.Mul(TIsa.Mul(y, TIsa.Pow2(h)), TIsa.Pow2(TIsa.Sub(n, h)));
    }

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

    /// <summary>e^x − 1 for x ≤ 0 (used by elu): accurate relative to the result near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Expm1Neg<TIsa, TV>(TV x) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        x = TIsa.Max(x, TIsa.Broadcast(-87f));
        TV n = TIsa.Round(TIsa.Mul(x, TIsa.Broadcast(Log2E)));
        n = TIsa.Max(n, TIsa.Broadcast(-126f));
        TV r = TIsa.Fma(x, n, TIsa.Broadcast(-0.693145751953125f)); // 12-bit ln 2 head: n·head exact
        r = TIsa.Fma(r, n, TIsa.Broadcast(-1.42860682030941723212e-6f));
        TV q = Expm1Core<TIsa, TV>(r);
        TV s = TIsa.Pow2(n);
        return TIsa.Fma(TIsa.Sub(s, TIsa.Broadcast(1f)), s, q); // 2^n·q + (2^n − 1)
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
