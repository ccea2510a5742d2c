namespace EdgeRuntime.Kernels.Activations;

/// <summary>The spec for <see cref="ActivationsF32"/>: plain scalar MathF, element by element.</summary>
public static class ActivationsF32Reference
{
    public static float Exp(float x) => MathF.Exp(x);
    public static float Tanh(float x) => MathF.Tanh(x);
    public static float Sigmoid(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    public static void Exp(ReadOnlySpan<float> x, Span<float> y) { for (int i = 0; i < x.Length; i++) y[i] = Exp(x[i]); }
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) { for (int i = 0; i < x.Length; i++) y[i] = Tanh(x[i]); }
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) { for (int i = 0; i < x.Length; i++) y[i] = Sigmoid(x[i]); }
}
