namespace EdgeRuntime.Operators.Tflite;

/// <summary>int8 matrix-vector product with int32 accumulation: acc[r] = bias[r] + Σ w[r,k]·x[k],
/// wrapping mod 2^32. Runs on the kernel library's int8 GEMV (EdgeRuntime.Kernels.Int8.Int8Gemv:
/// SDOT / SMULL+SADALP / AVX2 / VNNI / Vector128 / scalar, bit-exact on every path).
/// <see cref="Reference"/> keeps the original scalar loop for tests.</summary>
internal static unsafe class Int8Gemv
{
    /// <param name="weightsSymmetric">Promise that w holds no −128 (see <see cref="IsSymmetric"/>).</param>
    public static void Run(int rows, int cols, sbyte* w, sbyte* x, int* bias, int* acc, bool weightsSymmetric = false)
        => EdgeRuntime.Kernels.Int8.Int8Gemv.Run(rows, cols, w, x, acc, bias, 0, weightsSymmetric);

    /// <summary>The original scalar loop (reference for tests).</summary>
    public static void Reference(int rows, int cols, sbyte* w, sbyte* x, int* bias, int* acc)
    {
        for (int r = 0; r < rows; r++)
        {
            sbyte* wr = w + (long)r * cols;
            int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int k = 0;
            for (; k <= cols - 4; k += 4)
            {
                s0 += wr[k] * x[k];
                s1 += wr[k + 1] * x[k + 1];
                s2 += wr[k + 2] * x[k + 2];
                s3 += wr[k + 3] * x[k + 3];
            }
            for (; k < cols; k++) s0 += wr[k] * x[k];
            acc[r] = (bias != null ? bias[r] : 0) + s0 + s1 + s2 + s3;
        }
    }

    /// <summary>True when the int8 weights contain no −128 (TFLite's symmetric [−127, 127] range), so the
    /// kernels' ARMv8.0 path may pair two products per int16 lane. Checked once at kernel creation.</summary>
    public static bool IsSymmetric(ReadOnlySpan<byte> w) => w.IndexOf((byte)0x80) < 0;

    /// <summary>Σ_k w[r,k] per row (for folding the input zero point into the bias).</summary>
    public static int[] RowSums(ReadOnlySpan<byte> w, int rows, int cols)
    {
        var sums = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int s = 0;
            for (int k = 0; k < cols; k++) s += (sbyte)w[r * cols + k];
            sums[r] = s;
        }
        return sums;
    }
}
