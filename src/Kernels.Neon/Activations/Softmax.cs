using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Activations;

/// <summary>Softmax over a span: y = exp(x − max) / Σ exp(x − max). Vectorized max, exp
/// (<see cref="ActivationKind.Exp"/>), sum and scale; relative error ≤ 2e-6 + 2^-23·|x−max| per element (tested; the second term is the
/// rounding of the fp32 subtraction x − max, inherent to fp32 input).
/// y may equal x (in place); lengths must match; an empty span is a no-op. No allocation.</summary>
public static unsafe class Softmax
{
    public static void Run(ReadOnlySpan<float> x, Span<float> y) => Run(KernelPaths.BestF32, x, y);

    public static void Run(KernelPath path, ReadOnlySpan<float> x, Span<float> y)
    {
        Activation.Validate(x, y);
        if (x.Length == 0) return;
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"softmax path {KernelPaths.Name(path)} is not supported on this machine");
        fixed (float* px = x, py = y)
        {
            switch (path)
            {
                case KernelPath.Avx512: Drive<Avx512Isa, Vector512<float>>(px, py, x.Length); break;
                case KernelPath.Avx2: Drive<Avx2Isa, Vector256<float>>(px, py, x.Length); break;
                case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Drive<AdvSimdIsa, Vector128<float>>(px, py, x.Length); break;
                case KernelPath.NeonModel or KernelPath.NeonDpModel: Drive<AdvSimdModelIsa, Vector128<float>>(px, py, x.Length); break;
                case KernelPath.Portable: Drive<PortableIsa, Vector128<float>>(px, py, x.Length); break;
                default: Drive<ScalarIsa, float>(px, py, x.Length); break;
            }
        }
    }

    private static void Drive<TIsa, TV>(float* x, float* y, int n) where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes, i = 0;
        float max = float.NegativeInfinity;
        if (n >= L)
        {
            TV m = TIsa.Load(x);
            for (i = L; i <= n - L; i += L) m = TIsa.Max(m, TIsa.Load(x + i));
            max = TIsa.MaxAcross(m);
        }
        for (; i < n; i++) max = MathF.Max(max, x[i]);
        TV vmax = TIsa.Broadcast(max);
        TV sum = TIsa.Zero;
        float tail = 0f;
        for (i = 0; i <= n - L; i += L)
        {
            TV e = ActivationMath.Exp<TIsa, TV>(TIsa.Sub(TIsa.Load(x + i), vmax));
            TIsa.Store(y + i, e);
            sum = TIsa.Add(sum, e);
        }
        for (; i < n; i++) { float e = ActivationMath.Exp<ScalarIsa, float>(x[i] - max); y[i] = e; tail += e; }
        float inv = 1f / (TIsa.Sum(sum) + tail);
        TV vinv = TIsa.Broadcast(inv);
        for (i = 0; i <= n - L; i += L) TIsa.Store(y + i, TIsa.Mul(TIsa.Load(y + i), vinv));
        for (; i < n; i++) y[i] *= inv;
    }
}
