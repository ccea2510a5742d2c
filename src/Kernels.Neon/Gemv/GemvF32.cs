using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Gemv;

/// <summary>fp32 GEMV entry point (dense layers at one frame, recurrent matvec). y must not overlap W or x.</summary>
public static unsafe class GemvF32
{
    /// <summary>y[rows] = W[rows×cols]·x[cols] (+ bias) (+ y when accumulate). W row-major.</summary>
    public static void Run(int rows, int cols, float* w, float* x, float* y, float* bias = null, bool accumulate = false)
    {
        for (int r = 0; r < rows; r++)
        {
            float* wr = w + (long)r * cols;
            var acc = Vector128<float>.Zero;
            int c = 0;
            for (; c <= cols - 4; c += 4) acc += Vector128.Load(wr + c) * Vector128.Load(x + c);
            float s = Vector128.Sum(acc);
            for (; c < cols; c++) s += wr[c] * x[c];
            if (bias != null) s += bias[r];
            y[r] = accumulate ? y[r] + s : s;
        }
    }
}
