using EdgeRuntime.Kernels.Activations;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Recurrent;

namespace EdgeRuntime.Kernels.Tests.Recurrent;

public unsafe class FrameKernelTests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    private static (int I, int H)[] CellShapes(KernelPath p) => KernelPaths.IsModel(p)
        ? [(1, 3), (1, 8), (2, 5), (3, 9)]
        : [(1, 1), (1, 3), (1, 8), (1, 16), (2, 5), (3, 9), (4, 17), (8, 16), (2, 33), (1, 64)];

    /// <summary>Weights of a well-behaved layer (|w| ≤ 1/√H) so the reference comparison is about the kernel, not
    /// about error growth in an unstable recurrence.</summary>
    private static float[] Weights(Random r, int n, int fanIn) => TestData.RandomF(r, n, 1.5f / MathF.Sqrt(fanIn));

    private const int Frames = 13;
    private const double CellTolerance = 4e-6;

    private record Gru(int I, int H, float[] W, float[] R, float[] Wb, float[] Rb, float[] X, float[] H0)
    {
        public static Gru Make(int seed, int i, int h, bool biases = true)
        {
            var r = new Random(seed);
            return new(i, h, Weights(r, 3 * h * i, i + h), Weights(r, 3 * h * h, i + h), biases ? Weights(r, 3 * h, 4) : [], biases ? Weights(r, 3 * h, 4) : [],
                TestData.RandomF(r, Frames * i, 2f), TestData.RandomF(r, h, 0.9f));
        }
        public GruCell Cell(KernelPath p) => new(p, I, H, W, R, Wb, Rb);
    }

    private record Lstm(int I, int H, float[] W, float[] R, float[] Wb, float[] Rb, float[] X, float[] H0, float[] C0)
    {
        public static Lstm Make(int seed, int i, int h)
        {
            var r = new Random(seed);
            return new(i, h, Weights(r, 4 * h * i, i + h), Weights(r, 4 * h * h, i + h), Weights(r, 4 * h, 4), Weights(r, 4 * h, 4),
                TestData.RandomF(r, Frames * i, 2f), TestData.RandomF(r, h, 0.9f), TestData.RandomF(r, h, 2f));
        }
        public LstmCell Cell(KernelPath p) => new(p, I, H, W, R, Wb, Rb);
    }

    /// <summary>Runs <paramref name="cell"/> over all frames in blocks of <paramref name="block"/>, y [frames, H].</summary>
    private static float[] RunGru(GruCell cell, Gru g, int block)
    {
        var state = new float[cell.StateFloats];
        var y = new float[Frames * g.H];
        fixed (float* s = state, h0 = g.H0, x = g.X, py = y)
        {
            cell.ResetState(s, h0);
            for (int t = 0; t < Frames; t += block)
                cell.Run(Math.Min(block, Frames - t), x + t * g.I, g.I, py + t * g.H, g.H, s);
            for (int j = 0; j < g.H; j++) Assert.Equal(y[(Frames - 1) * g.H + j], GruCell.HiddenState(s)[j]);
        }
        return y;
    }

    private static float[] RunLstm(LstmCell cell, Lstm l, int block, out float[] c)
    {
        var state = new float[cell.StateFloats];
        var y = new float[Frames * l.H];
        c = new float[l.H];
        fixed (float* s = state, h0 = l.H0, c0 = l.C0, x = l.X, py = y)
        {
            cell.ResetState(s, h0, c0);
            for (int t = 0; t < Frames; t += block)
                cell.Run(Math.Min(block, Frames - t), x + t * l.I, l.I, py + t * l.H, l.H, s);
            new ReadOnlySpan<float>(cell.CellState(s), l.H).CopyTo(c);
        }
        return y;
    }

    private static void Near(float[] want, float[] got, double tol, string what)
    {
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= tol, $"{what}[{i}]: got {got[i]:R}, want {want[i]:R}");
    }

    private static void Same(float[] want, float[] got, string what)
    {
        for (int i = 0; i < want.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(want[i]) == BitConverter.SingleToInt32Bits(got[i]), $"{what}[{i}]: got {got[i]:R}, scalar path {want[i]:R}");
    }

    [Theory, MemberData(nameof(Paths))]
    public void GruMatchesReferenceAndScalarPath(KernelPath path)
    {
        foreach (var (i, h) in CellShapes(path))
            foreach (bool biases in new[] { true, false })
            {
                var g = Gru.Make(i * 100 + h, i, h, biases);
                var hRef = (float[])g.H0.Clone();
                var want = new float[Frames * h];
                FrameReference.Gru(i, h, g.W, g.R, g.Wb, g.Rb, Frames, g.X, hRef, want);
                var got = RunGru(g.Cell(path), g, Frames);
                Near(want, got, CellTolerance, $"{KernelPaths.Name(path)} GRU I={i} H={h}");
                Same(RunGru(g.Cell(KernelPath.Scalar), g, Frames), got, $"{KernelPaths.Name(path)} GRU I={i} H={h}");
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void LstmMatchesReferenceAndScalarPath(KernelPath path)
    {
        foreach (var (i, h) in CellShapes(path))
        {
            var l = Lstm.Make(i * 100 + h, i, h);
            var hRef = (float[])l.H0.Clone();
            var cRef = (float[])l.C0.Clone();
            var want = new float[Frames * h];
            FrameReference.Lstm(i, h, l.W, l.R, l.Wb, l.Rb, Frames, l.X, hRef, cRef, want);
            var got = RunLstm(l.Cell(path), l, Frames, out var c);
            Near(want, got, CellTolerance, $"{KernelPaths.Name(path)} LSTM I={i} H={h}");
            Near(cRef, c, CellTolerance * 4, $"{KernelPaths.Name(path)} LSTM c I={i} H={h}");
            Same(RunLstm(l.Cell(KernelPath.Scalar), l, Frames, out var cs), got, $"{KernelPaths.Name(path)} LSTM I={i} H={h}");
            Same(cs, c, $"{KernelPaths.Name(path)} LSTM c I={i} H={h}");
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void CellsGiveTheSameResultForEveryBlockSize(KernelPath path)
    {
        foreach (var (i, h) in new[] { (1, 8), (2, 5), (3, 17) })
        {
            var g = Gru.Make(7, i, h);
            var l = Lstm.Make(7, i, h);
            var gAll = RunGru(g.Cell(path), g, Frames);
            var lAll = RunLstm(l.Cell(path), l, Frames, out _);
            foreach (int block in new[] { 1, 2, 5 })
            {
                Same(gAll, RunGru(g.Cell(path), g, block), $"GRU block {block}");
                Same(lAll, RunLstm(l.Cell(path), l, block, out _), $"LSTM block {block}");
            }
        }
    }

    private static (int In, int Out, int Taps)[] DenseShapes(KernelPath p) => KernelPaths.IsModel(p)
        ? [(1, 8, 1), (8, 1, 1), (5, 6, 1), (3, 5, 3), (1, 4, 5)]
        : [(1, 8, 1), (8, 8, 1), (8, 1, 1), (16, 1, 1), (37, 1, 1), (5, 13, 1), (16, 16, 1), (1, 8, 3), (8, 8, 3), (17, 3, 2), (4, 20, 3), (2, 6, 5), (1, 9, 11)];

    [Theory, MemberData(nameof(Paths))]
    public void DenseMatchesReference(KernelPath path)
    {
        var r = new Random(21);
        foreach (var (n, o, taps) in DenseShapes(path))
            foreach (string? act in new[] { null, "tanh", "sigmoid", "relu" })
            {
                var w = TestData.RandomF(r, n * o * taps);
                var b = TestData.RandomF(r, o);
                ActivationKind? kind = act switch { "tanh" => ActivationKind.Tanh, "sigmoid" => ActivationKind.Sigmoid, "relu" => ActivationKind.Relu, _ => null };
                var dense = new FrameDense(path, n, o, taps, w, b, kind);
                // Frames with a history: tap j of frame t sits (taps−1−j)·2 rows before row t (dilation 2).
                int frames = 5, dil = 2, hist = (taps - 1) * dil;
                var x = TestData.RandomF(r, (frames + hist) * n, 2f);
                var want = new float[frames * o]; var got = new float[frames * o];
                fixed (float* px = x, pw = want, pg = got)
                {
                    FrameReference.Dense(n, o, taps, w, b, act, frames, px, n, (long)dil * n, pw, o);
                    dense.Run(frames, px, n, (long)dil * n, pg, o);
                }
                for (int t = 0; t < frames; t++)
                    for (int j = 0; j < o; j++)
                    {
                        double scale = Math.Abs(b[j]);
                        for (int q = 0; q < taps; q++)
                            for (int i = 0; i < n; i++) scale += Math.Abs(x[(t + q * dil) * n + i] * w[(q * n + i) * o + j]);
                        double tol = 2.0 * (n * taps + 2) * Math.Pow(2, -24) * scale + 4e-7 * Math.Abs(want[t * o + j]) + 2.5e-7;
                        Assert.True(Math.Abs(got[t * o + j] - want[t * o + j]) <= tol,
                            $"{KernelPaths.Name(path)} dense {n}x{o}x{taps} {act ?? "none"} [{t},{j}]: got {got[t * o + j]:R}, want {want[t * o + j]:R}");
                    }
            }
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new GruCell(KernelPath.Scalar, 1, 4, new float[11], new float[48], [], []));
        Assert.Throws<ArgumentException>(() => new GruCell(KernelPath.Scalar, 1, 0, [], [], [], []));
        Assert.Throws<ArgumentException>(() => new LstmCell(KernelPath.Scalar, 2, 3, new float[24], new float[36], new float[5], []));
        Assert.Throws<ArgumentException>(() => new FrameDense(KernelPath.Scalar, 3, 2, 1, new float[5], [], null));
        Assert.Throws<ArgumentException>(() => new FrameDense(KernelPath.Scalar, 3, 2, 1, new float[6], new float[3], null));
    }

    [Fact]
    public void RunAllocatesNothing()
    {
        var g = Gru.Make(3, 2, 20);
        var l = Lstm.Make(3, 2, 20);
        var gc = g.Cell(KernelPaths.BestF32);
        var lc = l.Cell(KernelPaths.BestF32);
        var d = new FrameDense(8, 8, 3, new float[192], new float[8], ActivationKind.Tanh);
        var state = new float[Math.Max(gc.StateFloats, lc.StateFloats)];
        var x = new float[64]; var y = new float[64];
        fixed (float* s = state, px = x, py = y)
        {
            long before = 0;
            for (int i = 0; i < 101; i++)
            {
                if (i == 1) before = GC.GetAllocatedBytesForCurrentThread();
                gc.Run(2, px, 2, py, 20, s);
                lc.Run(2, px, 2, py, 20, s);
                d.Run(2, px + 32, 8, 8, py, 8);
            }
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }
}
