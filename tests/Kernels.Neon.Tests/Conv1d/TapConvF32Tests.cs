using System.Runtime.CompilerServices;
using EdgeRuntime.Kernels.Conv1d;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Conv1d;

public unsafe class TapConvF32Tests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    private enum AddMode { None, Separate, InPlace }

    /// <summary>One case against the reference; y has ldy ≥ n columns and guard rows: everything outside
    /// [frames, n] must stay untouched.</summary>
    private static void Check(KernelPath path, Random r, int frames, int n, int cin, int kernel, int dil, int groups,
        int extra, int extraGroups, bool bias, AddMode mode, int ldxPad, int ldyPad)
    {
        int ldx = cin + ldxPad, lde = extra + 1, ldy = n + ldyPad, hist = (kernel - 1) * dil;
        var x = TestData.RandomF(r, (hist + frames) * ldx);
        var w = TestData.RandomF(r, n * (cin / groups) * kernel);
        var we = TestData.RandomF(r, n * Math.Max(1, extra / extraGroups));
        var e = TestData.RandomF(r, frames * lde);
        var b = TestData.RandomF(r, n);
        var addBuf = TestData.RandomF(r, (frames + 2) * ldy);
        const float guard = 12345f;
        var got = new float[(frames + 2) * ldy];
        Array.Fill(got, guard);
        if (mode == AddMode.InPlace) for (int t = 0; t < frames; t++) for (int o = 0; o < n; o++) got[t * ldy + o] = addBuf[t * ldy + o];
        var want = new float[frames * ldy];
        int ldw = TapConvF32.Stride(path, n);
        var packed = new float[TapConvPacking.Floats(ldw, cin, kernel, extra)];
        TapConvPacking.Pack(packed, ldw, w, n, cin, kernel, groups, bias ? b : default, we, extra, extraGroups);
        fixed (float* px = x, pw = w, pwe = we, pe = e, pb = b, pa = addBuf, pg = got, pr = want, pp = packed)
        {
            float* add = mode == AddMode.None ? null : pa;
            TapConvReference.F32(frames, n, cin, kernel, dil, groups, pw, bias ? pb : null, px + hist * ldx, ldx,
                extra, extraGroups, pwe, extra > 0 ? pe : null, lde, add, ldy, pr, ldy);
            var conv = new TapConv(pp, n, ldw, cin, kernel, dil, extra, bias);
            float* kAdd = mode switch { AddMode.None => null, AddMode.Separate => pa, _ => pg };
            TapConvF32.Run(path, conv, frames, px + hist * ldx, ldx, extra > 0 ? pe : null, lde, kAdd, ldy, pg, ldy);
        }
        string what = $"{KernelPaths.Name(path)} frames={frames} n={n} cin={cin} K={kernel} d={dil} g={groups} extra={extra}/{extraGroups} bias={bias} add={mode}";
        int cig = cin / groups, cog = n / groups;
        for (int t = 0; t < frames + 2; t++)
            for (int o = 0; o < ldy; o++)
            {
                int i = t * ldy + o;
                if (t >= frames || o >= n) { Assert.True(got[i] == guard, $"{what}: wrote outside the output at t={t} o={o}"); continue; }
                double scale = (mode == AddMode.None ? 0 : Math.Abs(addBuf[i])) + (bias ? Math.Abs(b[o]) : 0);
                for (int k = 0; k < kernel; k++)
                    for (int j = 0; j < cig; j++)
                        scale += Math.Abs(x[(hist + t - (kernel - 1 - k) * dil) * ldx + o / cog * cig + j] * w[(o * cig + j) * kernel + k]);
                if (extra > 0)
                {
                    int eig = extra / extraGroups;
                    for (int j = 0; j < eig; j++) scale += Math.Abs(e[t * lde + o / (n / extraGroups) * eig + j] * we[o * eig + j]);
                }
                double tol = 2.0 * (kernel * cin + extra + 2) * Math.Pow(2, -24) * scale + 1e-30;
                Assert.True(Math.Abs(got[i] - want[i]) <= tol, $"{what}: t={t} o={o} got {got[i]} want {want[i]}");
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void MatchesReferenceOverShapes(KernelPath path)
    {
        var r = new Random(7);
        bool model = KernelPaths.IsModel(path);
        int[] frameCounts = model ? [1, 5, 12] : [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 37, 64];
        int[] outs = model ? [1, 3, 4, 8, 9, 16] : [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 24, 32, 33];
        foreach (int frames in frameCounts)
            foreach (int n in outs)
            {
                int cin = 1 + (n * 5 + frames) % 17;
                Check(path, r, frames, n, cin, 1 + (n + frames) % 4, 1 + frames % 3, 1, 0, 1, bias: (n & 1) == 0, AddMode.None, 0, 0);
                Check(path, r, frames, n, cin, 3, 2, 1, 1 + n % 3, 1, bias: true, AddMode.Separate, 1, 2);
                Check(path, r, frames, n, 8, 6, 7, 1, 1, 1, bias: true, AddMode.InPlace, 0, 0);
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void WaveNetShapesMatchReference(KernelPath path)
    {
        var r = new Random(8);
        int frames = KernelPaths.IsModel(path) ? 9 : 64;
        // (n, cin, K, d, groups, extra, extraGroups): NAM layer convs with mixin, 1x1s, FiLMs, grouped convs
        foreach (var (n, cin, k, d, g, ex, eg) in new[]
        {
            (8, 8, 6, 101, 1, 1, 1), (16, 16, 3, 512, 1, 1, 1), (3, 3, 3, 2, 1, 1, 1), (2, 2, 3, 8, 1, 3, 1),
            (12, 3, 2, 1, 3, 1, 1), (4, 4, 4, 3, 2, 8, 2), (6, 2, 1, 1, 1, 0, 1), (16, 8, 1, 1, 1, 0, 1), (32, 16, 3, 4, 1, 1, 1),
            (1, 8, 16, 1, 1, 0, 1), (24, 8, 1, 1, 1, 0, 1), (1, 1, 1, 1, 1, 0, 1), (1, 1, 3, 4, 1, 1, 1), (1, 1, 2, 1, 1, 0, 1),
        })
        {
            if (n % g != 0 || cin % g != 0) continue;
            Check(path, r, frames, n, cin, k, d, g, ex, eg, bias: true, AddMode.None, 0, 0);
            Check(path, r, frames, n, cin, k, d, g, ex, eg, bias: false, AddMode.InPlace, 0, 0);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void ResultDoesNotDependOnFramesPerCall(KernelPath path)
    {
        // every tile shape sums in the same order: one call over F frames == F one-frame calls, bit for bit
        var r = new Random(9);
        int frames = KernelPaths.IsModel(path) ? 11 : 67;
        foreach (var (n, cin, k, d, ex) in new[] { (8, 8, 6, 3, 1), (3, 3, 3, 2, 1), (16, 16, 3, 5, 1), (12, 7, 2, 1, 2), (33, 5, 2, 2, 1), (1, 8, 16, 1, 0), (1, 3, 3, 2, 1), (24, 8, 1, 1, 0), (1, 1, 3, 2, 1), (1, 1, 1, 1, 0), (1, 1, 5, 3, 0), (4, 8, 3, 2, 1), (3, 4, 2, 5, 5), (2, 12, 1, 1, 0) })
        {
            int hist = (k - 1) * d, ldw = TapConvF32.Stride(path, n);
            var x = TestData.RandomF(r, (hist + frames) * cin); var e = TestData.RandomF(r, frames * Math.Max(1, ex));
            var add = TestData.RandomF(r, frames * n);
            var packed = new float[TapConvPacking.Floats(ldw, cin, k, ex)];
            TapConvPacking.Pack(packed, ldw, TestData.RandomF(r, n * cin * k), n, cin, k, 1, TestData.RandomF(r, n), TestData.RandomF(r, n * Math.Max(1, ex)), ex, 1);
            var whole = new float[frames * n]; var split = new float[frames * n];
            fixed (float* px = x, pe = e, pa = add, pp = packed, pw = whole, ps = split)
            {
                var conv = new TapConv(pp, n, ldw, cin, k, d, ex, true);
                float* x0 = px + hist * cin;
                int lde = Math.Max(1, ex);
                TapConvF32.Run(path, conv, frames, x0, cin, pe, lde, pa, n, pw, n);
                for (int t = 0, step = 1; t < frames; t += step, step = step % 5 + 1)
                {
                    int f = Math.Min(step, frames - t);
                    TapConvF32.Run(path, conv, f, x0 + t * cin, cin, pe + t * lde, lde, pa + t * n, n, ps + t * n, n);
                }
            }
            Assert.True(whole.AsSpan().SequenceEqual(split), $"{KernelPaths.Name(path)} n={n} cin={cin} K={k}: results depend on the frames per call");
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void ChannelMajorInputMatchesReference(KernelPath path)
    {
        // x as channel rows (frame stride 1, channel stride ldc): the history of a channel-major block
        var r = new Random(10);
        bool model = KernelPaths.IsModel(path);
        foreach (int frames in model ? new[] { 1, 3, 6 } : new[] { 1, 2, 3, 5, 8, 13, 64 })
            foreach (var (n, cin, k, d, ex) in new[] { (8, 8, 6, 3, 1), (3, 3, 3, 2, 1), (16, 16, 3, 5, 1), (12, 7, 2, 1, 2), (33, 5, 2, 2, 1), (1, 8, 4, 1, 0), (1, 1, 3, 2, 1), (8, 8, 1, 1, 0) })
            {
                if (model && n > 16) continue;
                int hist = (k - 1) * d, ldc = hist + frames + 5, ldw = TapConvF32.Stride(path, n);
                var xt = TestData.RandomF(r, (hist + frames) * cin);
                var xc = new float[cin * ldc];
                for (int t = 0; t < hist + frames; t++) for (int c = 0; c < cin; c++) xc[c * ldc + t] = xt[t * cin + c];
                var e = TestData.RandomF(r, frames * Math.Max(1, ex)); var add = TestData.RandomF(r, frames * n);
                var w = TestData.RandomF(r, n * cin * k); var we = TestData.RandomF(r, n * Math.Max(1, ex)); var b = TestData.RandomF(r, n);
                var packed = new float[TapConvPacking.Floats(ldw, cin, k, ex)];
                TapConvPacking.Pack(packed, ldw, w, n, cin, k, 1, b, we, ex, 1);
                var want = new float[frames * n]; var got = new float[frames * n]; var single = new float[frames * n];
                int lde = Math.Max(1, ex);
                fixed (float* pxt = xt, pxc = xc, pe = e, pa = add, pw = w, pwe = we, pb = b, pp = packed, pr = want, pg = got, ps = single)
                {
                    TapConvReference.F32(frames, n, cin, k, d, 1, pw, pb, pxt + hist * cin, cin, ex, 1, pwe, ex > 0 ? pe : null, lde, pa, n, pr, n);
                    var conv = new TapConv(pp, n, ldw, cin, k, d, ex, true);
                    TapConvF32.Run(path, conv, frames, pxc + hist, 1, ldc, ex > 0 ? pe : null, lde, pa, n, pg, n);
                    for (int t = 0; t < frames; t++)
                        TapConvF32.Run(path, conv, 1, pxc + hist + t, 1, ldc, ex > 0 ? pe + t * lde : null, lde, pa + t * n, n, ps + t * n, n);
                }
                for (int i = 0; i < want.Length; i++)
                {
                    double tol = 2.0 * (k * cin + ex + 2) * Math.Pow(2, -24) * (k * cin + ex + 2) * 2;
                    Assert.True(Math.Abs(got[i] - want[i]) <= tol, $"{KernelPaths.Name(path)} frames={frames} n={n} cin={cin}: at {i} got {got[i]} want {want[i]}");
                }
                Assert.True(got.AsSpan().SequenceEqual(single), $"{KernelPaths.Name(path)} frames={frames} n={n} cin={cin}: channel-major results depend on the frames per call");
            }
    }

    [Fact]
    public void RejectsWeightsPackedForAnotherWidth()
    {
        // 5 outputs on a 4-lane path need a row stride of 8, not 5
        var packed = GC.AllocateArray<float>(TapConvPacking.Floats(5, 2, 1, 0) + 16, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref packed[0]);
        Assert.Throws<ArgumentException>(() =>
            TapConvF32.Run(KernelPath.Portable, new TapConv((float*)p, 5, 5, 2, 1, 1, 0, false), 1, (float*)p, 2, null, 0, null, 0, (float*)p + 16, 5));
        Assert.Throws<ArgumentException>(() => TapConvPacking.Pack(new float[64], 4, new float[8], 4, 3, 1, 2, default));
        Assert.Throws<ArgumentException>(() => new TapConv((float*)p, 5, 4, 2, 1, 1, 0, false));
    }

    [Fact]
    public void RunAllocatesNothing()
    {
        var packed = new float[TapConvPacking.Floats(TapConvF32.Stride(KernelPaths.BestF32, 8), 8, 3, 1)];
        var x = new float[80 * 8]; var e = new float[64]; var y = new float[64 * 8];
        fixed (float* pp = packed, px = x, pe = e, py = y)
        {
            var conv = new TapConv(pp, 8, TapConvF32.Stride(KernelPaths.BestF32, 8), 8, 3, 8, 1, true);
            float* xp = px + 16 * 8, ep = pe, yp = py;
            for (int i = 0; i < 3; i++) TapConvF32.Run(conv, 64, xp, 8, ep, 1, yp, 8, yp, 8);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int f = 1; f <= 64; f++) TapConvF32.Run(conv, f, xp, 8, ep, 1, yp, 8, yp, 8);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
