using EdgeRuntime.Kernels.Conv1d;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests.Conv1d;

public unsafe class Conv1dF32Tests
{
    public static TheoryData<KernelPath> Paths => TestData.F32Paths;

    [Theory, MemberData(nameof(Paths))]
    public void CausalDilatedMatchesReference(KernelPath path)
    {
        var r = new Random(31);
        foreach (var (frames, cin, cout, kernel, dil) in new[] { (1, 1, 1, 1, 1), (7, 3, 5, 3, 2), (16, 8, 16, 2, 8), (33, 12, 7, 3, 4) })
        {
            if (KernelPaths.IsModel(path) && frames > 16) continue;
            int hist = (kernel - 1) * dil;
            var x = TestData.RandomF(r, (hist + frames) * cin);
            var w = TestData.RandomF(r, kernel * cin * cout);
            var bias = TestData.RandomF(r, cout);
            var want = new float[frames * cout]; var got = new float[frames * cout];
            fixed (float* px = x, pw = w, pb = bias, pr = want, pg = got)
            {
                Conv1dReference.F32(frames, cin, cout, kernel, dil, px + hist * cin, pw, pb, pr);
                Conv1dF32.Run(path, frames, cin, cout, kernel, dil, px + hist * cin, pw, pb, pg);
            }
            double tol = 2.0 * (kernel * cin + 2) * Math.Pow(2, -24) * (kernel * cin + 1);
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= tol, $"{KernelPaths.Name(path)} at {i}: {got[i]} vs {want[i]}");
        }
    }

    [Fact]
    public void PackingMatchesOutInKernelIndexing()
    {
        const int o = 2, i = 3, k = 2;
        var src = Enumerable.Range(0, o * i * k).Select(v => (float)v).ToArray();
        var dst = new float[src.Length];
        Conv1dPacking.FromOutInKernel(src, o, i, k, dst);
        for (int a = 0; a < o; a++) for (int b = 0; b < i; b++) for (int c = 0; c < k; c++)
            Assert.Equal(src[(a * i + b) * k + c], dst[(c * i + b) * o + a]);
    }
}
