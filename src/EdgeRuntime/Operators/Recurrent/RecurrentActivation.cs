using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>One ONNX recurrent activation function (the <c>activations</c> attribute entries) with its
/// <c>activation_alpha</c>/<c>activation_beta</c>. Sigmoid and Tanh take the vectorized gate-math path.</summary>
public readonly record struct RecurrentActivation(RecurrentActivationKind Kind, float Alpha, float Beta)
{
    public static RecurrentActivation Parse(string name, float? alpha, float? beta, string where)
    {
        switch (name.ToLowerInvariant())
        {
            case "sigmoid": return new(RecurrentActivationKind.Sigmoid, 0, 0);
            case "tanh": return new(RecurrentActivationKind.Tanh, 0, 0);
            case "relu": return new(RecurrentActivationKind.Relu, 0, 0);
            case "affine": return new(RecurrentActivationKind.Affine, alpha ?? 1f, beta ?? 0f);
            case "leakyrelu": return new(RecurrentActivationKind.LeakyRelu, alpha ?? 0.01f, 0);
            case "thresholdedrelu": return new(RecurrentActivationKind.ThresholdedRelu, alpha ?? 1f, 0);
            case "scaledtanh": return new(RecurrentActivationKind.ScaledTanh, alpha ?? 1f, beta ?? 1f);
            case "hardsigmoid": return new(RecurrentActivationKind.HardSigmoid, alpha ?? 0.2f, beta ?? 0.5f);
            case "elu": return new(RecurrentActivationKind.Elu, alpha ?? 1f, 0);
            case "softsign": return new(RecurrentActivationKind.Softsign, 0, 0);
            case "softplus": return new(RecurrentActivationKind.Softplus, 0, 0);
            default: throw new ModelException($"{where}: unsupported recurrent activation '{name}'");
        }
    }

    /// <summary>Apply in place to n floats.</summary>
    public unsafe void Apply(float* x, int n)
    {
        switch (Kind)
        {
            case RecurrentActivationKind.Sigmoid: Activation.Run(ActivationKind.Sigmoid, x, x, n); return;
            case RecurrentActivationKind.Tanh: Activation.Run(ActivationKind.Tanh, x, x, n); return;
        }
        for (int i = 0; i < n; i++) x[i] = Scalar(x[i]);
    }

    public float Scalar(float v) => Kind switch
    {
        RecurrentActivationKind.Sigmoid => ActivationsF32.Sigmoid(v),
        RecurrentActivationKind.Tanh => ActivationsF32.Tanh(v),
        RecurrentActivationKind.Relu => MathF.Max(v, 0f),
        RecurrentActivationKind.Affine => Alpha * v + Beta,
        RecurrentActivationKind.LeakyRelu => v >= 0 ? v : Alpha * v,
        RecurrentActivationKind.ThresholdedRelu => v > Alpha ? v : 0f,
        RecurrentActivationKind.ScaledTanh => Alpha * ActivationsF32.Tanh(Beta * v),
        RecurrentActivationKind.HardSigmoid => MathF.Max(0f, MathF.Min(1f, Alpha * v + Beta)),
        RecurrentActivationKind.Elu => v >= 0 ? v : Alpha * (MathF.Exp(v) - 1f),
        RecurrentActivationKind.Softsign => v / (1f + MathF.Abs(v)),
        RecurrentActivationKind.Softplus => MathF.Log(1f + MathF.Exp(v)),
        _ => v,
    };
}
