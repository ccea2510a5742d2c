using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Gemv;

/// <summary>fp32 GEMV entry point (dense layers at one frame, recurrent matvec). y must not overlap W or x.
/// <para>Kernel: 4 rows at a time, one FMA accumulator per row over the widest vector, x loaded once per
/// step for the four rows; tails in scalar. Written once over <see cref="IFloatIsa{TV}"/>. Agrees with
/// <see cref="GemvReference"/> within |Δ| ≤ 2·cols·2^-24·Σ|w·x| (tested).</para></summary>
public static unsafe class GemvF32
{
    /// <summary>y[rows] = W[rows×cols]·x[cols] (+ bias) (+ y when accumulate). W row-major.</summary>
    public static void Run(int rows, int cols, float* w, float* x, float* y, float* bias = null, bool accumulate = false)
        => Run(KernelPaths.BestF32, rows, cols, w, x, y, bias, accumulate);

    /// <summary>Same contract on an explicit path.</summary>
    public static void Run(KernelPath path, int rows, int cols, float* w, float* x, float* y, float* bias = null, bool accumulate = false)
    {
        if (rows <= 0) return;
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), $"GEMV: negative cols={cols}");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"fp32 GEMV path {KernelPaths.Name(path)} is not supported on this machine");
        switch (path)
        {
            case KernelPath.Avx512: Generic<Avx512Isa, Vector512<float>>(rows, cols, w, x, y, bias, accumulate); break;
            case KernelPath.Avx2: Generic<Avx2Isa, Vector256<float>>(rows, cols, w, x, y, bias, accumulate); break;
            case KernelPath.AdvSimd or KernelPath.AdvSimdDp: Generic<AdvSimdIsa, Vector128<float>>(rows, cols, w, x, y, bias, accumulate); break;
            case KernelPath.NeonModel or KernelPath.NeonDpModel: Generic<AdvSimdModelIsa, Vector128<float>>(rows, cols, w, x, y, bias, accumulate); break;
            case KernelPath.Portable: Generic<PortableIsa, Vector128<float>>(rows, cols, w, x, y, bias, accumulate); break;
            default: Generic<ScalarIsa, float>(rows, cols, w, x, y, bias, accumulate); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Generic<TIsa, TV>(int rows, int cols, float* w, float* x, float* y, float* bias, bool accumulate)
        where TIsa : struct, IFloatIsa<TV> where TV : struct
    {
        int L = TIsa.Lanes;
        int cv = cols - cols % L;
        int r = 0;
        for (; r <= rows - 4; r += 4)
        {
            float* w0 = w + (long)r * cols, w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
            TV s0 = TIsa.Zero, s1 = TIsa.Zero, s2 = TIsa.Zero, s3 = TIsa.Zero;
            for (int c = 0; c < cv; c += L)
            {
                TV xv = TIsa.Load(x + c);
                s0 = TIsa.Fma(s0, TIsa.Load(w0 + c), xv);
                s1 = TIsa.Fma(s1, TIsa.Load(w1 + c), xv);
                s2 = TIsa.Fma(s2, TIsa.Load(w2 + c), xv);
                s3 = TIsa.Fma(s3, TIsa.Load(w3 + c), xv);
            }
            float t0 = TIsa.Sum(s0), t1 = TIsa.Sum(s1), t2 = TIsa.Sum(s2), t3 = TIsa.Sum(s3);
            for (int c = cv; c < cols; c++)
            {
                float xc = x[c];
                t0 += w0[c] * xc; t1 += w1[c] * xc; t2 += w2[c] * xc; t3 += w3[c] * xc;
            }
            if (bias != null) { t0 += bias[r]; t1 += bias[r + 1]; t2 += bias[r + 2]; t3 += bias[r + 3]; }
            if (accumulate) { t0 += y[r]; t1 += y[r + 1]; t2 += y[r + 2]; t3 += y[r + 3]; }
            y[r] = t0; y[r + 1] = t1; y[r + 2] = t2; y[r + 3] = t3;
        }
        for (; r < rows; r++)
        {
            float* wr = w + (long)r * cols;
            TV s = TIsa.Zero;
            for (int c = 0; c < cv; c += L) s = TIsa.Fma(s, TIsa.Load(wr + c), TIsa.Load(x + c));
            float t = TIsa.Sum(s);
            for (int c = cv; c < cols; c++) t += wr[c] * x[c];
            if (bias != null) t += bias[r];
            if (accumulate) t += y[r];
            y[r] = t;
        }
    }
}
