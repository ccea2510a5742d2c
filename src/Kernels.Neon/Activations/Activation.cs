using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Activations;

/// <summary>fp32 element-wise activations over spans (see <see cref="ActivationKind"/> for each function's
/// stated maximum error). <c>y</c> may be the same span as <c>x</c> (in place) but must not partially overlap
/// it; lengths must match. No allocation. Tails are computed by the same math on one lane.</summary>
public static unsafe class Activation
{
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.Relu, x, y);
    public static void Relu6(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.Relu6, x, y);
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float alpha = 0.01f) => Run(ActivationKind.LeakyRelu, x, y, alpha);
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.Tanh, x, y);
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.Sigmoid, x, y);
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.Exp, x, y);
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha = 1f) => Run(ActivationKind.Elu, x, y, alpha);
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.Gelu, x, y);
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> y) => Run(ActivationKind.GeluTanh, x, y);

    /// <summary>Apply <paramref name="kind"/> on the widest path of this machine.</summary>
    public static void Run(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha = 0f)
        => Run(KernelPaths.BestF32, kind, x, y, alpha);

    /// <summary>Apply <paramref name="kind"/> on an explicit path.</summary>
    public static void Run(KernelPath path, ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha = 0f)
    {
        Validate(x, y);
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"activation path {KernelPaths.Name(path)} is not supported on this machine");
        fixed (float* px = x, py = y)
        {
            int n = x.Length;
            switch (path)
            {
                case KernelPath.Avx512: Drive<Avx512Isa, Vector512<float>>(kind, px, py, n, alpha); break;
                case KernelPath.Avx2: Drive<Avx2Isa, Vector256<float>>(kind, px, py, n, alpha); break;
                case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Drive<AdvSimdIsa, Vector128<float>>(kind, px, py, n, alpha); break;
                case KernelPath.NeonModel or KernelPath.NeonDpModel: Drive<AdvSimdModelIsa, Vector128<float>>(kind, px, py, n, alpha); break;
                case KernelPath.Portable: Drive<PortableIsa, Vector128<float>>(kind, px, py, n, alpha); break;
                default: Drive<ScalarIsa, float>(kind, px, py, n, alpha); break;
            }
        }
    }

    /// <summary>Apply <paramref name="kind"/> to n floats at x into y on the widest path of this machine (the
    /// streaming operators' per-frame entry: no span checks). y may equal x; it must not partially overlap it.</summary>
    public static void Run(ActivationKind kind, float* x, float* y, long n, float alpha = 0f)
    {
        while (n > 0)
        {
            int c = (int)Math.Min(n, 1 << 30);
            switch (KernelPaths.BestF32)
            {
                case KernelPath.Avx512: Drive<Avx512Isa, Vector512<float>>(kind, x, y, c, alpha); break;
                case KernelPath.Avx2: Drive<Avx2Isa, Vector256<float>>(kind, x, y, c, alpha); break;
                case KernelPath.AdvSimd: Drive<AdvSimdIsa, Vector128<float>>(kind, x, y, c, alpha); break;
                case KernelPath.Portable: Drive<PortableIsa, Vector128<float>>(kind, x, y, c, alpha); break;
                default: Drive<ScalarIsa, float>(kind, x, y, c, alpha); break;
            }
            x += c; y += c; n -= c;
        }
    }

    internal static void Validate(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"activation: input length {x.Length} != output length {y.Length}");
        if (x.Overlaps(y, out int offset) && offset != 0) throw new ArgumentException("activation: input and output partially overlap (only exact in-place is allowed)");
    }

    /// <summary>The driver: 2× unrolled widest vectors, then single vectors, then the same math on one lane.</summary>
    private static void Drive<TIsa, TV>(ActivationKind kind, float* x, float* y, int n, float alpha)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, i = 0;
        TV va = TIsa.Broadcast(alpha);
        for (; i <= n - 2 * L; i += 2 * L)
        {
            TV r0 = ActivationMath.Apply<TIsa, TV>(kind, TIsa.Load(x + i), va);
            TV r1 = ActivationMath.Apply<TIsa, TV>(kind, TIsa.Load(x + i + L), va);
            TIsa.Store(y + i, r0); TIsa.Store(y + i + L, r1);
        }
        for (; i <= n - L; i += L) TIsa.Store(y + i, ActivationMath.Apply<TIsa, TV>(kind, TIsa.Load(x + i), va));
        for (; i < n; i++) y[i] = ActivationMath.Apply<ScalarIsa, float>(kind, x[i], alpha);
    }
}
