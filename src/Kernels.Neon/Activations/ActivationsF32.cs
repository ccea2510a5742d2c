using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Activations;

/// <summary>Fixed-width entry points (float, <see cref="Vector128"/>, <see cref="Vector256"/>) to the one
/// implementation in <see cref="ActivationMath"/> (see there for the algorithms and stated errors), for callers that
/// vectorize themselves (the ONNX element-wise operators). Every width gives the same value for the same input.
/// Span entry points: x and y must have the same length and may alias exactly (in place), not partially.</summary>
public static class ActivationsF32
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => ActivationMath.Exp<PortableIsa, Vector128<float>>(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x) => ActivationMath.Tanh<PortableIsa, Vector128<float>>(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => ActivationMath.Sigmoid<PortableIsa, Vector128<float>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
        => Avx2Isa.IsSupported ? ActivationMath.Exp<Avx2Isa, Vector256<float>>(x) : Vector256.Create(Exp(x.GetLower()), Exp(x.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
        => Avx2Isa.IsSupported ? ActivationMath.Tanh<Avx2Isa, Vector256<float>>(x) : Vector256.Create(Tanh(x.GetLower()), Tanh(x.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
        => Avx2Isa.IsSupported ? ActivationMath.Sigmoid<Avx2Isa, Vector256<float>>(x) : Vector256.Create(Sigmoid(x.GetLower()), Sigmoid(x.GetUpper()));

    public static float Exp(float x) => ActivationMath.Exp<ScalarIsa, float>(x);
    public static float Tanh(float x) => ActivationMath.Tanh<ScalarIsa, float>(x);
    public static float Sigmoid(float x) => ActivationMath.Sigmoid<ScalarIsa, float>(x);

    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Activation.Run(ActivationKind.Exp, x, y);
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Activation.Run(ActivationKind.Tanh, x, y);
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Activation.Run(ActivationKind.Sigmoid, x, y);
}
