using System.Runtime.Intrinsics;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>Point-wise activations used by audio models (NAM names), applied in place to a
/// time-major block. Parameters travel as a node attribute pair: <c>activation</c> (name) and
/// <c>activation_params</c> (floats): LeakyReLU [slope]; PReLU [slope] or [slope per channel];
/// LeakyHardtanh [min_val, max_val, min_slope, max_slope]. Tanh and Sigmoid are the kernel library's
/// (<see cref="EdgeRuntime.Kernels.Activations.ActivationMath"/>: ≤ 3.5e-7 relative, ≤ 2.2e-7 absolute), not NAM's fast_tanh.</summary>
public sealed unsafe class ActivationFunction
{
    public enum Kinds { Identity, Tanh, Sigmoid, SiLU, ReLU, LeakyReLU, PReLU, Hardtanh, LeakyHardtanh, Hardswish, Softsign, FastTanh }

    private readonly float[] _p;

    private ActivationFunction(Kinds kind, float[] p) { Kind = kind; _p = p; }

    public Kinds Kind { get; }
    public static readonly ActivationFunction Identity = new(Kinds.Identity, []);

    /// <summary>Names accepted (case-insensitive); "" and "Identity" mean none.</summary>
    public static ActivationFunction Create(string name, float[]? p, string where)
    {
        p ??= [];
        Kinds kind = name.ToLowerInvariant() switch
        {
            "" or "identity" or "none" => Kinds.Identity,
            "tanh" => Kinds.Tanh,
            "sigmoid" => Kinds.Sigmoid,
            "silu" or "swish" => Kinds.SiLU,
            "relu" => Kinds.ReLU,
            "leakyrelu" => Kinds.LeakyReLU,
            "prelu" => Kinds.PReLU,
            "hardtanh" => Kinds.Hardtanh,
            "leakyhardtanh" => Kinds.LeakyHardtanh,
            "hardswish" => Kinds.Hardswish,
            "softsign" => Kinds.Softsign,
            "fasttanh" => Kinds.FastTanh,
            _ => throw new ModelException($"{where}: unsupported activation '{name}' (supported: Tanh, Sigmoid, SiLU, ReLU, LeakyReLU, PReLU, Hardtanh, LeakyHardtanh, Hardswish, Softsign, Fasttanh)"),
        };
        int need = kind switch { Kinds.LeakyReLU => 1, Kinds.PReLU => 1, Kinds.LeakyHardtanh => 4, _ => 0 };
        if (p.Length < need) throw new ModelException($"{where}: activation {name} needs {need} parameter(s), got {p.Length}");
        return new ActivationFunction(kind, (float[])p.Clone());
    }

    /// <summary>Check a per-channel parameter list against the channel count it will see.</summary>
    public void CheckChannels(int channels, string where)
    {
        if (Kind == Kinds.PReLU && _p.Length != 1 && _p.Length != channels)
            throw new ModelException($"{where}: PReLU has {_p.Length} slopes for {channels} channels");
    }

    /// <summary>Apply in place to rows 0..frames-1 of x (row stride ld), channels 0..channels-1.</summary>
    public void Apply(float* x, int frames, int ld, int channels)
    {
        switch (Kind)
        {
            case Kinds.Identity: return;
            case Kinds.Tanh:
                if (ld == channels) Activation.Run(ActivationKind.Tanh, x, x, (long)frames * channels);
                else for (int t = 0; t < frames; t++) Activation.Run(ActivationKind.Tanh, x + (long)t * ld, x + (long)t * ld, channels);
                return;
            case Kinds.Sigmoid:
                if (ld == channels) Activation.Run(ActivationKind.Sigmoid, x, x, (long)frames * channels);
                else for (int t = 0; t < frames; t++) Activation.Run(ActivationKind.Sigmoid, x + (long)t * ld, x + (long)t * ld, channels);
                return;
            case Kinds.SiLU: ForEach<SiLUOp>(x, frames, ld, channels); return;
            case Kinds.ReLU: ForEach<ReLUOp>(x, frames, ld, channels); return;
            case Kinds.Hardtanh: ForEach<HardtanhOp>(x, frames, ld, channels); return;
            case Kinds.Hardswish: ForEach<HardswishOp>(x, frames, ld, channels); return;
            case Kinds.Softsign: ForEach<SoftsignOp>(x, frames, ld, channels); return;
            case Kinds.FastTanh: ForEach<FastTanhOp>(x, frames, ld, channels); return;
            case Kinds.LeakyReLU when ld == channels && Vector256.IsHardwareAccelerated:
            {
                long n = (long)frames * channels, i = 0;
                var vs = Vector256.Create(_p[0]);
                for (; i <= n - 8; i += 8)
                {
                    var v = Vector256.Load(x + i);
                    Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, v * vs).Store(x + i);
                }
                for (; i < n; i++) { float v = x[i]; x[i] = v > 0 ? v : v * _p[0]; }
                return;
            }
            case Kinds.LeakyReLU:
            {
                float s = _p[0];
                for (int t = 0; t < frames; t++)
                {
                    float* r = x + (long)t * ld;
                    for (int i = 0; i < channels; i++) { float v = r[i]; r[i] = v > 0 ? v : v * s; }
                }
                return;
            }
            case Kinds.PReLU:
            {
                for (int t = 0; t < frames; t++)
                {
                    float* r = x + (long)t * ld;
                    for (int i = 0; i < channels; i++) { float v = r[i]; r[i] = v > 0 ? v : v * _p[_p.Length == 1 ? 0 : i]; }
                }
                return;
            }
            case Kinds.LeakyHardtanh:
            {
                float lo = _p[0], hi = _p[1], ls = _p[2], hs = _p[3];
                for (int t = 0; t < frames; t++)
                {
                    float* r = x + (long)t * ld;
                    for (int i = 0; i < channels; i++)
                    {
                        float v = r[i];
                        r[i] = v < lo ? (v - lo) * ls + lo : v > hi ? (v - hi) * hs + hi : v;
                    }
                }
                return;
            }
        }
    }

    /// <summary>Scalar value (reference and per-element use).</summary>
    public float Eval(float v, int channel = 0)
    {
        if (Kind == Kinds.PReLU) return v > 0 ? v : v * _p[_p.Length == 1 ? 0 : channel];
        float tmp = v;
        Apply(&tmp, 1, 1, 1);
        return tmp;
    }

    private interface IOp { static abstract float F(float x); }
    private struct SiLUOp : IOp { public static float F(float x) => x / (1f + MathF.Exp(-x)); }
    private struct ReLUOp : IOp { public static float F(float x) => x > 0 ? x : 0f; }
    private struct HardtanhOp : IOp { public static float F(float x) => x < -1f ? -1f : x > 1f ? 1f : x; }
    private struct HardswishOp : IOp { public static float F(float x) => x * Math.Clamp(x + 3f, 0f, 6f) / 6f; }
    private struct SoftsignOp : IOp { public static float F(float x) => x / (1f + MathF.Abs(x)); }
    private struct FastTanhOp : IOp
    {
        public static float F(float x)
        {
            float a = MathF.Abs(x), x2 = x * x;
            return x * (2.45550750702956f + 2.45550750702956f * a + (0.893229853513558f + 0.821226666969744f * a) * x2)
                / (2.44506634652299f + (2.44506634652299f + x2) * MathF.Abs(x + 0.814642734961073f * x * a));
        }
    }

    private static void ForEach<T>(float* x, int frames, int ld, int channels) where T : struct, IOp
    {
        if (ld == channels)
        {
            long n = (long)frames * channels;
            for (long i = 0; i < n; i++) x[i] = T.F(x[i]);
            return;
        }
        for (int t = 0; t < frames; t++)
        {
            float* r = x + (long)t * ld;
            for (int i = 0; i < channels; i++) r[i] = T.F(r[i]);
        }
    }
}
