namespace EdgeRuntime.Kernels.Gemv;

/// <summary>Scalar reference for fp32 GEMV.</summary>
public static unsafe class GemvReference
{
    /// <summary>y[rows] = W[rows×cols]·x[cols] (+ bias) (+ y when accumulate). W row-major.</summary>
    public static void F32(int rows, int cols, float* w, float* x, float* y, float* bias = null, bool accumulate = false)
    {
        for (int r = 0; r < rows; r++)
        {
            float s = accumulate ? y[r] : 0f;
            if (bias != null) s += bias[r];
            for (int c = 0; c < cols; c++) s += w[(long)r * cols + c] * x[c];
            y[r] = s;
        }
    }
}
