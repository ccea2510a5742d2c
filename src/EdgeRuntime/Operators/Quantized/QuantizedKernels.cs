using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>Kernel choice for the ONNX quantized operators, and the pieces their kernels share.
/// <para>The fast kernels run on the kernel library (Int8Gemm + RequantizeFloat) on
/// <see cref="KernelPaths.BestInt8"/>; the scalar reference kernels they are tested against bit for bit stay
/// selectable. <see cref="ForceReference"/> and <see cref="PathOverride"/> apply to kernels created on the
/// calling thread (tests build one session per setting).</para></summary>
internal static class QuantizedKernels
{
    [ThreadStatic] internal static bool ForceReference;
    [ThreadStatic] internal static KernelPath? PathOverride;

    public static KernelPath Path => PathOverride ?? KernelPaths.BestInt8;

    /// <summary>XOR that maps a uint8 value to the int8 value 128 lower (0 for int8).</summary>
    public static byte Flip(DataType t) => t == DataType.UInt8 ? (byte)0x80 : (byte)0;

    /// <summary>A zero point (or any 8-bit value) in the int8 domain of <see cref="Flip"/>.</summary>
    public static int Signed(int value, DataType t) => t == DataType.UInt8 ? value - 128 : value;

    /// <summary>The output clamp of an int8/uint8 result: the type's range narrowed by a fused Relu/Clip
    /// (quantized with the output's scale and zero point exactly as QuantizeLinear would: quantization is
    /// monotonic, so clamping before or after it gives the same result).</summary>
    public static (int Min, int Max) Clamp(Node node, float yScale, int yZeroPoint, DataType yType)
    {
        var (lo, hi) = QuantElements.Range(yType);
        var act = FusedActivation.FromNode(node);
        if (act.Kind == FusedActivationKind.Relu) lo = Math.Max(lo, Quantize(0f, yScale, yZeroPoint, yType));
        else if (act.Kind == FusedActivationKind.Clip)
        {
            if (!float.IsNegativeInfinity(act.Min)) lo = Math.Max(lo, Quantize(act.Min, yScale, yZeroPoint, yType));
            if (!float.IsPositiveInfinity(act.Max)) hi = Math.Min(hi, Quantize(act.Max, yScale, yZeroPoint, yType));
            if (lo > hi) lo = hi;
        }
        return (lo, hi);
    }

    /// <summary>QuantizeLinear of one value: saturate(round_half_even(x / scale) + zero point).</summary>
    public static int Quantize(float x, float scale, int zeroPoint, DataType t)
    {
        var (lo, hi) = QuantElements.Range(t);
        return (int)Math.Clamp(Math.Round((double)(x / scale), MidpointRounding.ToEven) + zeroPoint, lo, hi);
    }

    /// <summary>Which fused activations an integer operator applies (as its output clamp).</summary>
    public static bool CanClamp(FusedActivationKind kind) => kind is FusedActivationKind.Relu or FusedActivationKind.Clip;

    public static void CheckFused(Graph g, Node n)
    {
        var act = FusedActivation.FromNode(n);
        if (!act.IsNone && !CanClamp(act.Kind)) throw QuantElements.Error(g, n, $"fused {act.Kind} is not supported on an integer operator (Relu and Clip are)");
    }
}
