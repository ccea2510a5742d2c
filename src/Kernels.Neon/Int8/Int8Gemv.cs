using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Int8;

/// <summary>int8 GEMV with int32 accumulation (fully connected at batch 1, recurrent matvec):
/// y[r] = bias[r] + Σ_c W[r,c]·(x[c] + xOffset), W row-major rows×cols (row stride cols). Bit-exact on every
/// path (it is <see cref="Int8Gemm"/> with m = 1). y must not overlap W, x or bias.</summary>
public static unsafe class Int8Gemv
{
    public static void Run(int rows, int cols, sbyte* w, sbyte* x, int* y, int* bias = null, int xOffset = 0, bool weightsSymmetric = false)
        => Int8Gemm.Run(1, rows, cols, x, cols, w, cols, y, rows, bias, xOffset, weightsSymmetric);

    public static void Run(KernelPath path, int rows, int cols, sbyte* w, sbyte* x, int* y, int* bias = null, int xOffset = 0, bool weightsSymmetric = false)
        => Int8Gemm.Run(path, 1, rows, cols, x, cols, w, cols, y, rows, bias, xOffset, weightsSymmetric);

    /// <summary>Scalar reference.</summary>
    public static void Reference(int rows, int cols, sbyte* w, sbyte* x, int* y, int* bias = null, int xOffset = 0)
        => Int8GemmReference.Run(1, rows, cols, x, cols, w, cols, y, rows, bias, xOffset);
}
