using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Activations;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>Parsing and application of <see cref="FrameActivationKind"/>.</summary>
public static unsafe class FrameActivation
{
    public static FrameActivationKind Parse(string name, string where) => name.ToLowerInvariant() switch
    {
        "" or "linear" or "none" => FrameActivationKind.None,
        "tanh" => FrameActivationKind.Tanh,
        "relu" => FrameActivationKind.Relu,
        "sigmoid" => FrameActivationKind.Sigmoid,
        "softmax" => FrameActivationKind.Softmax,
        "elu" => FrameActivationKind.Elu,
        "prelu" => FrameActivationKind.PRelu,
        _ => throw new ModelException($"{where}: unsupported activation '{name}' (supported: tanh, relu, sigmoid, softmax, elu, prelu)"),
    };

    public static string Name(FrameActivationKind k) => k.ToString().ToLowerInvariant();

    /// <summary>Whether the per-frame kernels (<see cref="EdgeRuntime.Kernels.Recurrent.FrameDense"/>) can apply
    /// <paramref name="k"/> in registers, and as which kernel activation (null: none). Softmax and PReLU cannot.</summary>
    public static bool Fusable(FrameActivationKind k, out ActivationKind? kind)
    {
        kind = k switch
        {
            FrameActivationKind.Tanh => ActivationKind.Tanh,
            FrameActivationKind.Relu => ActivationKind.Relu,
            FrameActivationKind.Sigmoid => ActivationKind.Sigmoid,
            FrameActivationKind.Elu => ActivationKind.Elu,
            _ => null,
        };
        return k is not (FrameActivationKind.Softmax or FrameActivationKind.PRelu);
    }

    /// <summary>In place over rows×cols floats. <paramref name="slope"/>: PReLU slopes (cols, or 1 when shared).</summary>
    public static void Apply(FrameActivationKind kind, float* x, int rows, int cols, float alpha, float* slope, int slopeCount)
    {
        long n = (long)rows * cols;
        switch (kind)
        {
            case FrameActivationKind.None: return;
            case FrameActivationKind.Tanh: Activation.Run(ActivationKind.Tanh, x, x, n); return;
            case FrameActivationKind.Sigmoid: Activation.Run(ActivationKind.Sigmoid, x, x, n); return;
            case FrameActivationKind.Relu:
                for (long i = 0; i < n; i++) x[i] = x[i] > 0f ? x[i] : 0f;
                return;
            case FrameActivationKind.Elu:
                for (long i = 0; i < n; i++) { float v = x[i]; x[i] = v > 0f ? v : alpha * (MathF.Exp(v) - 1f); }
                return;
            case FrameActivationKind.PRelu:
                for (int r = 0; r < rows; r++)
                {
                    float* row = x + (long)r * cols;
                    for (int c = 0; c < cols; c++)
                    {
                        float v = row[c];
                        if (v < 0f) row[c] = v * slope[slopeCount == 1 ? 0 : c];
                    }
                }
                return;
            case FrameActivationKind.Softmax:
                for (int r = 0; r < rows; r++)
                {
                    float* row = x + (long)r * cols;
                    float max = float.NegativeInfinity;
                    for (int c = 0; c < cols; c++) max = MathF.Max(max, row[c]);
                    float sum = 0f;
                    for (int c = 0; c < cols; c++) { float e = MathF.Exp(row[c] - max); row[c] = e; sum += e; }
                    float inv = 1f / sum;
                    for (int c = 0; c < cols; c++) row[c] *= inv;
                }
                return;
        }
    }
}
