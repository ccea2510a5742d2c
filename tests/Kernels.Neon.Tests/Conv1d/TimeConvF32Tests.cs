using EdgeRuntime.Kernels.Conv1d;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Conv1d;

public unsafe class TimeConvF32Tests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    /// <summary>Channel-major x (rows of history + padded frames), e and y against the reference on the
    /// time-major copy; columns past the frames' whole vectors stay untouched.</summary>
    private static void Check(KernelPath path, Random r, int frames, int n, int cin, int kernel, int dil, int groups, int extra, bool bias, int ldwPad, bool withAdd = false, bool inPlace = false)
    {
        int L = TimeConvF32.Lanes(path), cols = (frames + L - 1) / L * L, hist = (kernel - 1) * dil;
        int ldc = hist + cols + 3, lde = cols + 1, ldy = cols + 2;
        var xt = TestData.RandomF(r, (hist + cols) * cin);          // time-major [hist + cols, cin]
        var et = TestData.RandomF(r, cols * Math.Max(1, extra));
        var w = TestData.RandomF(r, n * (cin / groups) * kernel);
        var we = TestData.RandomF(r, n * Math.Max(1, extra));
        var b = TestData.RandomF(r, n);
        var xc = new float[cin * ldc]; var ec = new float[Math.Max(1, extra) * lde];
        for (int t = 0; t < hist + cols; t++) for (int c = 0; c < cin; c++) xc[c * ldc + t] = xt[t * cin + c];
        for (int t = 0; t < cols; t++) for (int c = 0; c < extra; c++) ec[c * lde + t] = et[t * extra + c];
        int ldw = TapConvF32.Stride(path, n) + ldwPad;
        var packed = new float[TapConvPacking.Floats(ldw, cin, kernel, extra)];
        TapConvPacking.Pack(packed, ldw, w, n, cin, kernel, groups, bias ? b : default, we, extra, 1);
        var want = new float[frames * n];
        const float guard = 4321f;
        var got = new float[n * ldy + 1];
        Array.Fill(got, guard);
        var addC = TestData.RandomF(r, n * ldy);                   // channel-major add rows (stride ldy)
        var addT = new float[frames * n];
        for (int o = 0; o < n; o++) for (int t = 0; t < frames; t++) addT[t * n + o] = addC[o * ldy + t];
        if (inPlace) for (int o = 0; o < n; o++) for (int t = 0; t < cols; t++) got[o * ldy + t] = addC[o * ldy + t];
        fixed (float* pxt = xt, pet = et, pw = w, pwe = we, pb = b, pr = want, pxc = xc, pec = ec, pp = packed, pg = got, pac = addC, pat = addT)
        {
            TapConvReference.F32(frames, n, cin, kernel, dil, groups, pw, bias ? pb : null, pxt + hist * cin, cin,
                extra, 1, pwe, extra > 0 ? pet : null, Math.Max(1, extra), withAdd || inPlace ? pat : null, n, pr, n);
            float* add = inPlace ? pg : withAdd ? pac : null;
            TimeConvF32.Run(path, new TapConv(pp, n, ldw, cin, kernel, dil, extra, bias), frames, pxc + hist, ldc, extra > 0 ? pec : null, lde, add, ldy, pg, ldy);
        }
        string what = $"{KernelPaths.Name(path)} frames={frames} n={n} cin={cin} K={kernel} d={dil} g={groups} extra={extra}";
        int cig = cin / groups, cog = n / groups;
        for (int o = 0; o < n; o++)
            for (int t = 0; t < ldy; t++)
            {
                float v = got[o * ldy + t];
                if (t >= cols) { Assert.True(v == guard, $"{what}: wrote column {t} of output {o}"); continue; }
                if (t >= frames) continue;
                double scale = (bias ? Math.Abs(b[o]) : 0) + (withAdd || inPlace ? Math.Abs(addT[t * n + o]) : 0);
                for (int k = 0; k < kernel; k++)
                    for (int j = 0; j < cig; j++) scale += Math.Abs(xt[(hist + t - (kernel - 1 - k) * dil) * cin + o / cog * cig + j] * w[(o * cig + j) * kernel + k]);
                for (int j = 0; j < extra; j++) scale += Math.Abs(et[t * extra + j] * we[o * extra + j]);
                double tol = 2.0 * (kernel * cin + extra + 2) * Math.Pow(2, -24) * scale + 1e-30;
                Assert.True(Math.Abs(v - want[t * n + o]) <= tol, $"{what}: o={o} t={t} got {v} want {want[t * n + o]}");
            }
        Assert.True(got[n * ldy] == guard, $"{what}: wrote past the last row");
    }

    [Theory, MemberData(nameof(Paths))]
    public void MatchesReference(KernelPath path)
    {
        var r = new Random(21);
        bool model = KernelPaths.IsModel(path);
        foreach (int frames in model ? new[] { 1, 6, 17 } : new[] { 1, 3, 8, 15, 16, 17, 33, 37, 64, 100 })
            foreach (var (n, cin, k, d, g, ex) in new[]
            {
                (8, 8, 6, 7, 1, 1), (16, 16, 3, 64, 1, 1), (3, 3, 3, 2, 1, 1), (2, 2, 3, 8, 1, 3), (12, 3, 2, 1, 3, 1),
                (1, 8, 16, 1, 1, 0), (5, 4, 2, 3, 1, 0), (32, 16, 3, 2, 1, 1), (7, 1, 1, 1, 1, 1),
            })
            {
                if (model && n > 12) continue;
                Check(path, r, frames, n, cin, k, d, g, ex, bias: (n + frames) % 3 != 0, ldwPad: 0);
            }
        // a row stride that is not a multiple of 4 takes the broadcast weights on NEON
        Check(path, r, 9, 6, 5, 2, 3, 1, 1, bias: true, ldwPad: 1);
        // residual add from separate rows and in place
        foreach (int frames in model ? new[] { 5 } : new[] { 1, 16, 37, 64 })
        {
            Check(path, r, frames, 8, 8, 1, 1, 1, 0, bias: true, ldwPad: 0, withAdd: true);
            Check(path, r, frames, 6, 3, 1, 1, 1, 0, bias: true, ldwPad: 0, inPlace: true);
            Check(path, r, frames, 16, 16, 3, 2, 1, 1, bias: false, ldwPad: 0, inPlace: true);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void ColumnsDoNotDependOnFramesPerCall(KernelPath path)
    {
        var r = new Random(22);
        int L = TimeConvF32.Lanes(path), n = 8, cin = 8, k = 3, d = 5, frames = 4 * L + 3, cols = (frames + L - 1) / L * L, hist = (k - 1) * d;
        int ldc = hist + cols;
        var x = TestData.RandomF(r, cin * ldc); var e = TestData.RandomF(r, cols);
        int ldw = TapConvF32.Stride(path, n);
        var packed = new float[TapConvPacking.Floats(ldw, cin, k, 1)];
        TapConvPacking.Pack(packed, ldw, TestData.RandomF(r, n * cin * k), n, cin, k, 1, TestData.RandomF(r, n), TestData.RandomF(r, n), 1, 1);
        var whole = new float[n * cols]; var parts = new float[n * cols];
        fixed (float* px = x, pe = e, pp = packed, pw = whole, ps = parts)
        {
            var conv = new TapConv(pp, n, ldw, cin, k, d, 1, true);
            TimeConvF32.Run(path, conv, frames, px + hist, ldc, pe, cols, null, 0, pw, cols);
            for (int t = 0; t < cols; t += L) TimeConvF32.Run(path, conv, L, px + hist + t, ldc, pe + t, cols, null, 0, ps + t, cols);
        }
        for (int o = 0; o < n; o++)
            for (int t = 0; t < frames; t++)
                Assert.True(whole[o * cols + t] == parts[o * cols + t], $"{KernelPaths.Name(path)} o={o} t={t}");
    }
}
