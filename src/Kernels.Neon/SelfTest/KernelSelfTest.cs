using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Conv;
using EdgeRuntime.Kernels.Conv1d;
using EdgeRuntime.Kernels.Elementwise;
using EdgeRuntime.Kernels.Lut;
using EdgeRuntime.Kernels.Pooling;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Kernels.Gemv;
using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Recurrent;
using EdgeRuntime.Kernels.Requant;

namespace EdgeRuntime.Kernels.SelfTest;

/// <summary>Runs every kernel family on every path available on this machine (the NEON model paths
/// included) against the scalar reference: int8 bit-exact, fp32 within each family's stated bound.
/// Used by <c>edgert selftest</c>; on a board this is how the AdvSimd paths are proven.</summary>
public static unsafe class KernelSelfTest
{
    /// <summary>Run all families; <paramref name="includeModels"/> adds the slow software-model paths.</summary>
    public static List<SelfTestResult> RunAll(bool includeModels = true)
    {
        var results = new List<SelfTestResult>();
        foreach (var p in KernelPaths.F32Paths.Where(p => KernelPaths.IsSupported(p) && (includeModels || !KernelPaths.IsModel(p))))
        {
            results.Add(GemmF32Check(p));
            results.Add(GemvF32Check(p));
            results.Add(ActivationCheck(p));
            results.Add(DepthwiseF32Check(p));
            results.Add(Conv2dDirectCheck(p));
            results.Add(PlaneMaxPoolCheck(p));
            results.Add(TapConvF32Check(p));
            results.Add(TimeConvF32Check(p));
            results.Add(RowOpsF32Check(p));
            results.Add(GruCellCheck(p));
            results.Add(LstmCellCheck(p));
            results.Add(FrameDenseCheck(p));
        }
        foreach (var p in KernelPaths.Int8Paths.Where(p => KernelPaths.IsSupported(p) && (includeModels || !KernelPaths.IsModel(p))))
        {
            results.Add(Int8GemmCheck(p));
            results.Add(RequantCheck(p, RoundingMode.Single));
            results.Add(RequantCheck(p, RoundingMode.Double));
            results.Add(LutCheck(p));
        }
        return results;
    }

    private static float[] Rand(Random r, int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1); return a; }
    private static sbyte[] RandS8(Random r, int n) { var a = new sbyte[n]; for (int i = 0; i < n; i++) a[i] = (sbyte)r.Next(-128, 128); return a; }

    private static (int m, int n, int k)[] Shapes(KernelPath p) => KernelPaths.IsModel(p)
        ? [(1, 1, 1), (5, 7, 19), (6, 16, 33)]
        : [(1, 1, 1), (5, 7, 19), (6, 16, 33), (37, 45, 70), (13, 67, 300), (64, 64, 64)];

    public static SelfTestResult GemmF32Check(KernelPath p)
    {
        var r = new Random(1);
        double worst = 0; int cases = 0; string detail = "";
        foreach (var (m, n, k) in Shapes(p))
        {
            var a = Rand(r, m * k); var b = Rand(r, k * n); var bias = Rand(r, n);
            var want = new float[m * n]; var got = new float[m * n];
            fixed (float* pa = a, pb = b, pc = bias, pw = want, pg = got)
            {
                GemmReference.F32(m, n, k, pa, k, pb, n, pw, n, pc);
                GemmF32.Run(p, m, n, k, pa, k, pb, n, pg, n, pc);
            }
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double scale = Math.Abs(bias[j]);
                    for (int q = 0; q < k; q++) scale += Math.Abs(a[i * k + q] * b[q * n + j]);
                    double ratio = Math.Abs(got[i * n + j] - want[i * n + j]) / (2.0 * (k + 2) * Math.Pow(2, -24) * scale + 1e-30);
                    if (ratio > worst) { worst = ratio; detail = $"{m}x{n}x{k}"; }
                }
            cases++;
        }
        return new("gemm-f32", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(k+2)2^-24 sum|ab| (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult GemvF32Check(KernelPath p)
    {
        var r = new Random(2);
        double worst = 0; int cases = 0; string detail = "";
        foreach (int rows in new[] { 1, 5, 8, 33 })
            foreach (int cols in KernelPaths.IsModel(p) ? new[] { 1, 7, 20 } : new[] { 1, 7, 8, 31, 64, 129 })
            {
                var w = Rand(r, rows * cols); var x = Rand(r, cols);
                var want = new float[rows]; var got = new float[rows];
                fixed (float* pw = w, px = x, pr = want, pg = got)
                {
                    GemvReference.F32(rows, cols, pw, px, pr);
                    GemvF32.Run(p, rows, cols, pw, px, pg);
                }
                for (int i = 0; i < rows; i++)
                {
                    double scale = 0;
                    for (int c = 0; c < cols; c++) scale += Math.Abs(w[i * cols + c] * x[c]);
                    double ratio = Math.Abs(got[i] - want[i]) / (2.0 * (cols + 2) * Math.Pow(2, -24) * scale + 1e-30);
                    if (ratio > worst) { worst = ratio; detail = $"{rows}x{cols}"; }
                }
                cases++;
            }
        return new("gemv-f32", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(cols+2)2^-24 sum|wx| (max_error = fraction of bound)", worst, detail);
    }

    /// <summary>Stated bounds of <see cref="ActivationKind"/>, as a fraction (≤ 1 passes).</summary>
    public static double BoundFraction(ActivationKind kind, float x, float got, float want)
    {
        double err = Math.Abs((double)got - want);
        double tol = kind switch
        {
            ActivationKind.Relu or ActivationKind.Relu6 or ActivationKind.LeakyRelu => 0,
            ActivationKind.Exp => 4e-7 * Math.Abs(want) + 1.2e-38,
            ActivationKind.Tanh => 4e-7 * Math.Abs(want) + 1e-37,
            ActivationKind.Sigmoid => 2.5e-7,
            ActivationKind.Elu => 1e-6 * Math.Abs(want) + 1e-37,
            ActivationKind.Gelu => 2e-7 * Math.Max(1, Math.Abs(x)),
            _ => 1e-6 * Math.Max(1, Math.Abs(x)),
        };
        return err == 0 ? 0 : tol == 0 ? double.PositiveInfinity : err / tol;
    }

    public static SelfTestResult ActivationCheck(KernelPath p)
    {
        int n = KernelPaths.IsModel(p) ? 67 : 4099;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -25f + 50f * i / (n - 1);
        var got = new float[n];
        double worst = 0; string detail = ""; int cases = 0;
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            Activation.Run(p, kind, x, got, kind == ActivationKind.Elu ? 1f : 0.1f);
            for (int i = 0; i < n; i++)
            {
                double f = BoundFraction(kind, x[i], got[i], ActivationsReference.Apply(kind, x[i], kind == ActivationKind.Elu ? 1f : 0.1f));
                if (f > worst) { worst = f; detail = $"{kind}({x[i]})"; }
            }
            cases++;
        }
        var sm = new float[n]; var smRef = new float[n];
        Softmax.Run(p, x, sm);
        ActivationsReference.Softmax(x, smRef);
        for (int i = 0; i < n; i++)
        {
            double f = Math.Abs(sm[i] - smRef[i]) / ((2e-6 + Math.Pow(2, -23) * Math.Abs(x[i] - 25f)) * smRef[i] + 1e-38);
            if (f > worst) { worst = f; detail = $"softmax[{i}]"; }
        }
        cases++;
        return new("activations-f32", KernelPaths.Name(p), worst <= 1, cases, "stated per-function bounds (max_error = fraction of bound)", worst, detail);
    }

    private static readonly (int I, int H)[] CellShapes = [(1, 5), (1, 16), (3, 9), (2, 33)];
    private const int CellFrames = 9;
    private const double CellTolerance = 4e-6;

    /// <summary>GRU cell over <see cref="CellFrames"/> frames against the double-precision reference (|Δ| ≤ 4e-6 with
    /// weights ≤ 1.5/√(I+H)) and bit for bit against the scalar path.</summary>
    public static SelfTestResult GruCellCheck(KernelPath p) => CellCheck(p, "gru-cell", 3, 7,
        (c, want) => FrameReference.Gru(c.I, c.H, c.W, c.R, c.Wb, c.Rb, CellFrames, c.X, (float[])c.H0.Clone(), want),
        (path, c, y) =>
        {
            var cell = new GruCell(path, c.I, c.H, c.W, c.R, c.Wb, c.Rb);
            var state = new float[cell.StateFloats];
            fixed (float* ps = state, ph = c.H0, px = c.X, py = y) { cell.ResetState(ps, ph); cell.Run(CellFrames, px, c.I, py, c.H, ps); }
        });

    /// <summary>LSTM cell, as <see cref="GruCellCheck"/>.</summary>
    public static SelfTestResult LstmCellCheck(KernelPath p) => CellCheck(p, "lstm-cell", 4, 8,
        (c, want) => FrameReference.Lstm(c.I, c.H, c.W, c.R, c.Wb, c.Rb, CellFrames, c.X, (float[])c.H0.Clone(), (float[])c.C0.Clone(), want),
        (path, c, y) =>
        {
            var cell = new LstmCell(path, c.I, c.H, c.W, c.R, c.Wb, c.Rb);
            var state = new float[cell.StateFloats];
            fixed (float* ps = state, ph = c.H0, pc = c.C0, px = c.X, py = y) { cell.ResetState(ps, ph, pc); cell.Run(CellFrames, px, c.I, py, c.H, ps); }
        });

    private sealed record CellCase(int I, int H, float[] W, float[] R, float[] Wb, float[] Rb, float[] X, float[] H0, float[] C0);

    private static SelfTestResult CellCheck(KernelPath p, string name, int gates, int seed, Action<CellCase, float[]> reference, Action<KernelPath, CellCase, float[]> run)
    {
        var r = new Random(seed);
        double worst = 0; int cases = 0, mism = 0; string detail = "";
        foreach (var (i, h) in CellShapes)
        {
            float s = 1.5f / MathF.Sqrt(i + h);
            var c = new CellCase(i, h, Scaled(Rand(r, gates * h * i), s), Scaled(Rand(r, gates * h * h), s), Scaled(Rand(r, gates * h), 0.25f),
                Scaled(Rand(r, gates * h), 0.25f), Scaled(Rand(r, CellFrames * i), 2f), Scaled(Rand(r, h), 0.9f), Scaled(Rand(r, h), 2f));
            float[] want = new float[CellFrames * h], got = new float[CellFrames * h], scalar = new float[CellFrames * h];
            reference(c, want);
            run(p, c, got);
            run(KernelPath.Scalar, c, scalar);
            for (int j = 0; j < want.Length; j++)
            {
                double f = Math.Abs((double)got[j] - want[j]) / CellTolerance;
                if (f > worst) { worst = f; detail = $"I={i} H={h} [{j}]"; }
                if (BitConverter.SingleToInt32Bits(got[j]) != BitConverter.SingleToInt32Bits(scalar[j])) { mism++; detail = $"I={i} H={h} [{j}] differs from the scalar path"; }
            }
            cases++;
        }
        return new(name, KernelPaths.Name(p), worst <= 1 && mism == 0, cases, "|err| <= 4e-6 vs reference, bit-exact vs scalar path (max_error = fraction of bound)", worst, detail);
    }

    private static float[] Scaled(float[] a, float s) { for (int i = 0; i < a.Length; i++) a[i] *= s; return a; }

    /// <summary>Per-frame dense / conv taps with a fused tanh against the double-precision reference:
    /// |err| ≤ 2(k+2)2^-24·Σ|xw| + the tanh bound.</summary>
    public static SelfTestResult FrameDenseCheck(KernelPath p)
    {
        var r = new Random(9);
        double worst = 0; int cases = 0; string detail = "";
        foreach (var (n, o, taps) in new[] { (1, 8, 1), (8, 8, 1), (16, 1, 1), (5, 13, 1), (8, 8, 3), (3, 20, 2) })
        {
            float[] w = Rand(r, n * o * taps), b = Rand(r, o);
            int frames = 3, hist = (taps - 1) * 2;
            float[] x = Rand(r, (frames + hist) * n);
            var want = new float[frames * o]; var got = new float[frames * o];
            var dense = new FrameDense(p, n, o, taps, w, b, ActivationKind.Tanh);
            fixed (float* px = x, pw = want, pg = got)
            {
                FrameReference.Dense(n, o, taps, w, b, "tanh", frames, px, n, 2L * n, pw, o);
                dense.Run(frames, px, n, 2L * n, pg, o);
            }
            for (int t = 0; t < frames; t++)
                for (int j = 0; j < o; j++)
                {
                    double scale = Math.Abs(b[j]);
                    for (int q = 0; q < taps; q++)
                        for (int i = 0; i < n; i++) scale += Math.Abs(x[(t + 2 * q) * n + i] * w[(q * n + i) * o + j]);
                    double tol = 2.0 * (n * taps + 2) * Math.Pow(2, -24) * scale + 4e-7 * Math.Abs(want[t * o + j]) + 1e-37;
                    double f = Math.Abs(got[t * o + j] - want[t * o + j]) / tol;
                    if (f > worst) { worst = f; detail = $"{n}x{o}x{taps} [{t},{j}]"; }
                }
            cases++;
        }
        return new("frame-dense", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(k+2)2^-24 sum|xw| + tanh bound (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult Int8GemmCheck(KernelPath p)
    {
        var r = new Random(3);
        int mism = 0, cases = 0; string detail = "";
        foreach (var (m, n, k) in Shapes(p))
            foreach (int off in new[] { 0, 17 })
            {
                var a = RandS8(r, m * k); var b = RandS8(r, n * k);
                var bias = new int[n]; for (int j = 0; j < n; j++) bias[j] = r.Next(-5000, 5000);
                var want = new int[m * n]; var got = new int[m * n];
                fixed (sbyte* pa = a, pb = b) fixed (int* pc = bias, pw = want, pg = got)
                {
                    Int8GemmReference.Run(m, n, k, pa, k, pb, k, pw, n, pc, off);
                    Int8Gemm.Run(p, m, n, k, pa, k, pb, k, pg, n, pc, off);
                }
                for (int i = 0; i < want.Length; i++) if (want[i] != got[i]) { mism++; detail = $"{m}x{n}x{k} off={off} at {i}"; }
                cases++;
            }
        return new("int8-gemm", KernelPaths.Name(p), mism == 0, cases, "bit-exact", mism, detail);
    }

    public static SelfTestResult RequantCheck(KernelPath p, RoundingMode mode)
    {
        var r = new Random(4);
        int mism = 0, cases = 0; string detail = "";
        foreach (int ch in new[] { 1, 15, 16, 33, 64 })
        {
            int rows = 3;
            var acc = new int[rows * ch]; for (int i = 0; i < acc.Length; i++) acc[i] = r.Next(int.MinValue, int.MaxValue) >> r.Next(0, 24);
            var mult = new int[ch]; var shift = new int[ch];
            for (int c = 0; c < ch; c++) { mult[c] = r.Next(1 << 30, int.MaxValue); shift[c] = r.Next(-20, 5); }
            var want = new sbyte[acc.Length]; var got = new sbyte[acc.Length];
            fixed (int* pa = acc, pm = mult, ps = shift) fixed (sbyte* pw = want, pg = got)
            {
                RequantizeReference.Run(rows, ch, pa, pw, pm, ps, -3, -128, 127, mode);
                Requantize.Run(p, rows, ch, pa, pg, pm, ps, -3, -128, 127, mode);
            }
            for (int i = 0; i < want.Length; i++) if (want[i] != got[i]) { mism++; detail = $"ch={ch} at {i}"; }
            cases++;
        }
        return new(mode == RoundingMode.Single ? "requant-single" : "requant-double", KernelPaths.Name(p), mism == 0, cases, "bit-exact", mism, detail);
    }

    public static SelfTestResult DepthwiseF32Check(KernelPath p)
    {
        var r = new Random(5);
        double worst = 0; int cases = 0; string detail = "";
        foreach (var (h, w, c, k, s, d) in new[] { (6, 5, 7, 3, 1, 1), (9, 8, 17, 3, 2, 1), (8, 8, 16, 3, 1, 2) })
        {
            int oh = (h + 2 - d * (k - 1) - 1) / s + 1, ow = (w + 2 - d * (k - 1) - 1) / s + 1;
            var x = Rand(r, h * w * c); var f = Rand(r, k * k * c); var bias = Rand(r, c);
            var want = new float[oh * ow * c]; var got = new float[want.Length];
            fixed (float* px = x, pf = f, pb = bias, pw = want, pg = got)
            {
                DepthwiseConvReference.F32(1, h, w, c, px, k, k, pf, pb, s, s, d, d, 1, 1, oh, ow, pw);
                DepthwiseConvF32.Run(p, 1, h, w, c, px, k, k, pf, pb, s, s, d, d, 1, 1, oh, ow, pg);
            }
            double tol = 2.0 * (k * k + 2) * Math.Pow(2, -24) * (k * k + 1);
            for (int i = 0; i < want.Length; i++)
            {
                double f2 = Math.Abs(want[i] - got[i]) / tol;
                if (f2 > worst) { worst = f2; detail = $"{h}x{w}x{c} at {i}"; }
            }
            cases++;
        }
        return new("dwconv-f32", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(taps+2)2^-24 sum|xw| (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult Conv2dDirectCheck(KernelPath p)
    {
        var r = new Random(6);
        double worst = 0; int cases = 0; string detail = "";
        foreach (var (cin, cout, h, w, k, st, d) in new[] { (3, 8, 9, 9, 3, 1, 1), (4, 7, 6, 21, 3, 1, 2), (2, 13, 5, 16, 1, 1, 1), (3, 6, 11, 19, 3, 2, 1) })
        {
            int pad = k / 2 * d, oh = (h + 2 * pad - d * (k - 1) - 1) / st + 1, ow = (w + 2 * pad - d * (k - 1) - 1) / st + 1;
            var x = Rand(r, cin * h * w); var wt = Rand(r, cout * cin * k * k); var bias = Rand(r, cout);
            var packed = new float[Conv2dDirectF32.PackedLength(cout, cin, k, k)];
            Conv2dDirectF32.Pack(wt, cout, cin, k, k, packed);
            int ph = Conv2dDirectF32.PaddedHeight(oh, k, d, st), pw = Conv2dDirectF32.PaddedWidth(ow, k, d, st);
            var xp = new float[cin * ph * pw];
            var want = new float[cout * oh * ow]; var got = new float[want.Length];
            fixed (float* px = x, pwt = wt, pb = bias, pk = packed, pxp = xp, pwn = want, pg = got)
            {
                Conv2dReference.F32(cin, h, w, px, cout, k, k, pwt, pb, st, st, d, d, pad, pad, oh, ow, pwn);
                Conv2dDirectF32.PadInput(px, cin, h, w, pad, pad, pxp, ph, pw, st);
                Conv2dDirectF32.Run(p, cin, cout, k, k, st, st, d, d, pxp, ph, pw, pk, pb, oh, ow, pg);
            }
            int taps = cin * k * k;
            double tol = 2.0 * (taps + 2) * Math.Pow(2, -24) * (taps + 1);
            for (int i = 0; i < want.Length; i++)
            {
                double f2 = Math.Abs(want[i] - got[i]) / tol;
                if (f2 > worst) { worst = f2; detail = $"{cin}->{cout} {h}x{w} k{k} s{st} d{d} at {i}"; }
            }
            cases++;
        }
        // Depthwise form: 5 channels, stride 2, padding 1.
        {
            const int c = 5, h = 10, w = 21, k = 3, st = 2;
            int oh = (h + 2 - k) / st + 1, ow = (w + 2 - k) / st + 1;
            var x = Rand(r, c * h * w); var wt = Rand(r, c * k * k); var bias = Rand(r, c);
            int ph = Conv2dDirectF32.PaddedHeight(oh, k, 1, st), pw = Conv2dDirectF32.PaddedWidth(ow, k, 1, st);
            var xp = new float[c * ph * pw];
            var want = new float[c * oh * ow]; var got = new float[want.Length];
            fixed (float* px = x, pwt = wt, pb = bias, pxp = xp, pwn = want, pg = got)
            {
                for (int ch = 0; ch < c; ch++)
                    Conv2dReference.F32(1, h, w, px + ch * h * w, 1, k, k, pwt + ch * k * k, pb + ch, st, st, 1, 1, 1, 1, oh, ow, pwn + ch * oh * ow);
                Conv2dDirectF32.PadInput(px, c, h, w, 1, 1, pxp, ph, pw, st);
                Conv2dDirectF32.Depthwise(p, c, k, k, st, st, 1, 1, pxp, ph, pw, pwt, pb, oh, ow, pg);
            }
            double tol = 2.0 * (k * k + 2) * Math.Pow(2, -24) * (k * k + 1);
            for (int i = 0; i < want.Length; i++)
            {
                double f2 = Math.Abs(want[i] - got[i]) / tol;
                if (f2 > worst) { worst = f2; detail = $"depthwise at {i}"; }
            }
            cases++;
        }
        return new("conv2d-f32", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(taps+2)2^-24 sum|xw| (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult PlaneMaxPoolCheck(KernelPath p)
    {
        var r = new Random(7);
        int mism = 0, cases = 0;
        foreach (var (h, w, k, s, pad) in new[] { (8, 20, 2, 2, 0), (9, 17, 3, 2, 1), (5, 33, 3, 1, 1) })
        {
            int oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1;
            var x = Rand(r, 2 * h * w); var row = new float[w];
            var want = new float[2 * oh * ow]; var got = new float[want.Length];
            fixed (float* px = x, pr = row, pw = want, pg = got)
            {
                PoolingReference.MaxF32(2, h, w, 1, px, k, k, s, s, pad, pad, oh, ow, pw);
                PlanePoolingF32.Max(2, h, w, px, k, k, s, s, pad, pad, oh, ow, pg, pr, p);
            }
            for (int i = 0; i < want.Length; i++) if (want[i] != got[i]) mism++;
            cases++;
        }
        return new("maxpool-planes", KernelPaths.Name(p), mism == 0, cases, "exact", mism, mism == 0 ? "" : $"{mism} outputs differ");
    }

    public static SelfTestResult TapConvF32Check(KernelPath p)
    {
        var r = new Random(6);
        double worst = 0; int cases = 0; string detail = "";
        // (frames, n, cin, kernel, dilation, extra): NAM layer convs (+ mixin), 1x1s and FiLMs, partial vectors
        var shapes = KernelPaths.IsModel(p)
            ? new[] { (1, 8, 8, 3, 2, 1), (9, 3, 3, 2, 1, 1), (5, 16, 4, 1, 1, 0) }
            : new[] { (1, 8, 8, 6, 7, 1), (64, 8, 8, 6, 101, 1), (64, 16, 16, 3, 8, 1), (37, 3, 3, 3, 2, 1), (64, 32, 16, 3, 4, 1), (13, 1, 8, 16, 1, 0), (64, 24, 8, 1, 1, 0) };
        foreach (var (frames, n, cin, kernel, dil, extra) in shapes)
        {
            int hist = (kernel - 1) * dil, ldw = TapConvF32.Stride(p, n);
            var x = Rand(r, (hist + frames) * cin); var w = Rand(r, n * cin * kernel); var we = Rand(r, n * Math.Max(1, extra));
            var e = Rand(r, frames * Math.Max(1, extra)); var bias = Rand(r, n); var add = Rand(r, frames * n);
            var packed = new float[TapConvPacking.Floats(ldw, cin, kernel, extra)];
            TapConvPacking.Pack(packed, ldw, w, n, cin, kernel, 1, bias, we, extra, 1);
            var want = new float[frames * n]; var got = new float[frames * n];
            fixed (float* px = x, pw = w, pwe = we, pe = e, pb = bias, pa = add, pp = packed, pr = want, pg = got)
            {
                TapConvReference.F32(frames, n, cin, kernel, dil, 1, pw, pb, px + hist * cin, cin, extra, 1, pwe, pe, Math.Max(1, extra), pa, n, pr, n);
                TapConvF32.Run(p, new TapConv(pp, n, ldw, cin, kernel, dil, extra, true), frames, px + hist * cin, cin, pe, Math.Max(1, extra), pa, n, pg, n);
            }
            for (int t = 0; t < frames; t++)
                for (int o = 0; o < n; o++)
                {
                    double scale = Math.Abs(add[t * n + o]) + Math.Abs(bias[o]);
                    for (int k = 0; k < kernel; k++)
                        for (int c = 0; c < cin; c++) scale += Math.Abs(x[(hist + t - (kernel - 1 - k) * dil) * cin + c] * w[(o * cin + c) * kernel + k]);
                    for (int c = 0; c < extra; c++) scale += Math.Abs(e[t * extra + c] * we[o * extra + c]);
                    double ratio = Math.Abs(got[t * n + o] - want[t * n + o]) / (2.0 * (kernel * cin + extra + 2) * Math.Pow(2, -24) * scale + 1e-30);
                    if (ratio > worst) { worst = ratio; detail = $"{frames}x{n} cin={cin} K={kernel}"; }
                }
            cases++;
        }
        return new("tapconv-f32", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(rows+2)2^-24 (|add|+|bias|+sum|xw|) (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult TimeConvF32Check(KernelPath p)
    {
        var r = new Random(10);
        double worst = 0; int cases = 0; string detail = "";
        var shapes = KernelPaths.IsModel(p)
            ? new[] { (5, 8, 8, 3, 2, 1), (9, 3, 3, 2, 1, 1) }
            : new[] { (64, 8, 8, 6, 101, 1), (64, 16, 16, 3, 8, 1), (37, 3, 3, 3, 2, 1), (64, 32, 16, 3, 4, 1), (13, 5, 4, 2, 1, 0) };
        foreach (var (frames, n, cin, kernel, dil, extra) in shapes)
        {
            int L = TimeConvF32.Lanes(p), cols = (frames + L - 1) / L * L, hist = (kernel - 1) * dil, ldc = hist + cols, ldw = TapConvF32.Stride(p, n);
            var xt = Rand(r, (hist + cols) * cin); var et = Rand(r, cols * Math.Max(1, extra));
            var w = Rand(r, n * cin * kernel); var we = Rand(r, n * Math.Max(1, extra)); var bias = Rand(r, n);
            var xc = new float[cin * ldc]; var ec = new float[Math.Max(1, extra) * cols];
            for (int t = 0; t < hist + cols; t++) for (int c = 0; c < cin; c++) xc[c * ldc + t] = xt[t * cin + c];
            for (int t = 0; t < cols; t++) for (int c = 0; c < extra; c++) ec[c * cols + t] = et[t * extra + c];
            var packed = new float[TapConvPacking.Floats(ldw, cin, kernel, extra)];
            TapConvPacking.Pack(packed, ldw, w, n, cin, kernel, 1, bias, we, extra, 1);
            var want = new float[frames * n]; var got = new float[n * cols];
            fixed (float* pxt = xt, pet = et, pw = w, pwe = we, pb = bias, pxc = xc, pec = ec, pp = packed, pr = want, pg = got)
            {
                TapConvReference.F32(frames, n, cin, kernel, dil, 1, pw, pb, pxt + hist * cin, cin, extra, 1, pwe, pet, Math.Max(1, extra), null, 0, pr, n);
                TimeConvF32.Run(p, new TapConv(pp, n, ldw, cin, kernel, dil, extra, true), frames, pxc + hist, ldc, pec, cols, null, 0, pg, cols);
            }
            for (int t = 0; t < frames; t++)
                for (int o = 0; o < n; o++)
                {
                    double scale = Math.Abs(bias[o]);
                    for (int k = 0; k < kernel; k++)
                        for (int c = 0; c < cin; c++) scale += Math.Abs(xt[(hist + t - (kernel - 1 - k) * dil) * cin + c] * w[(o * cin + c) * kernel + k]);
                    for (int c = 0; c < extra; c++) scale += Math.Abs(et[t * extra + c] * we[o * extra + c]);
                    double ratio = Math.Abs(got[o * cols + t] - want[t * n + o]) / (2.0 * (kernel * cin + extra + 2) * Math.Pow(2, -24) * scale + 1e-30);
                    if (ratio > worst) { worst = ratio; detail = $"{frames}x{n} cin={cin} K={kernel}"; }
                }
            cases++;
        }
        return new("timeconv-f32", KernelPaths.Name(p), worst <= 1, cases, "|err| <= 2(rows+2)2^-24 (|bias|+sum|xw|) (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult RowOpsF32Check(KernelPath p)
    {
        var r = new Random(9);
        double worst = 0; int cases = 0; string detail = "";
        foreach (var (rows, cols) in KernelPaths.IsModel(p) ? new[] { (3, 5) } : new[] { (1, 3), (64, 8), (7, 33) })
        {
            int n = rows * cols;
            var a = Rand(r, n); var b = Rand(r, n); var c = Rand(r, n);
            var want = new float[n]; var got = new float[n];
            fixed (float* pa = a, pb = b, pc = c, pw = want, pg = got)
            {
                RowOpsReference.MulAdd(rows, cols, pa, cols, pb, cols, pc, cols, pw, cols);
                RowOpsF32.MulAdd(p, rows, cols, pa, cols, pb, cols, pc, cols, pg, cols);
                for (int i = 0; i < n; i++) Track(Math.Abs(got[i] - want[i]) / (Math.Abs(want[i]) * Math.Pow(2, -22) + 1e-38), "muladd");
                RowOpsReference.Lerp(rows, cols, pa, cols, pb, cols, pc, cols, pw, cols);
                RowOpsF32.Lerp(p, rows, cols, pa, cols, pb, cols, pc, cols, pg, cols);
                for (int i = 0; i < n; i++)
                    Track(Math.Abs(got[i] - want[i]) / (Math.Pow(2, -22) * (Math.Abs(c[i]) + Math.Abs(a[i]) * (Math.Abs(b[i]) + Math.Abs(c[i]))) + 1e-38), "lerp");
                RowOpsReference.Add(n, pa, pb, pw);
                RowOpsF32.Add(p, n, pa, pb, pg);
                for (int i = 0; i < n; i++) Track(got[i] == want[i] ? 0 : double.PositiveInfinity, "add");
            }
            cases += 3;
            void Track(double f, string op) { if (f > worst) { worst = f; detail = $"{op} {rows}x{cols}"; } }
        }
        return new("rowops-f32", KernelPaths.Name(p), worst <= 1, cases, "muladd/lerp within 2 ulp of the inputs' scale, add exact (max_error = fraction of bound)", worst, detail);
    }

    public static SelfTestResult LutCheck(KernelPath p)
    {
        var table = new sbyte[256];
        Int8Lut.Build(v => 1 / (1 + Math.Exp(-v)), 0.0625, -5, 1.0 / 256, -128, table);
        var x = new sbyte[256 + 19];
        for (int i = 0; i < x.Length; i++) x[i] = (sbyte)(i - 128);
        var want = new sbyte[x.Length]; var got = new sbyte[x.Length];
        Int8Lut.Reference(x, want, table);
        Int8Lut.Apply(p, x, got, table);
        int mism = 0;
        for (int i = 0; i < x.Length; i++) if (want[i] != got[i]) mism++;
        return new("lut-int8", KernelPaths.Name(p), mism == 0, 1, "bit-exact", mism, mism == 0 ? "" : $"{mism} bytes differ");
    }
}
