using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Tests;

/// <summary>Shared helpers: the paths to test on this machine, random data, the shared-data folder.</summary>
public static class TestData
{
    /// <summary>Every path of the family that can run here (the NEON model paths always can).</summary>
    public static TheoryData<KernelPath> Paths(KernelPath[] family)
    {
        var d = new TheoryData<KernelPath>();
        foreach (var p in family) if (KernelPaths.IsSupported(p)) d.Add(p);
        return d;
    }
    public static TheoryData<KernelPath> F32Paths => Paths(KernelPaths.F32Paths);
    public static TheoryData<KernelPath> Int8Paths => Paths(KernelPaths.Int8Paths);

    public static sbyte[] RandomS8(Random r, int n, bool noMin = false)
    {
        var a = new sbyte[n];
        for (int i = 0; i < n; i++) a[i] = (sbyte)r.Next(noMin ? -127 : -128, 128);
        return a;
    }
    public static float[] RandomF(Random r, int n, float scale = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return a;
    }
    public static int[] RandomI(Random r, int n, int lo, int hi)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.Next(lo, hi);
        return a;
    }

    /// <summary>../shared/&lt;parts&gt; found by walking up from the test's base directory, or null.</summary>
    public static string? SharedDir(params string[] parts)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine([d.FullName, "shared", .. parts]);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Largest shape edge worth testing on a path (the software model is slow).</summary>
    public static int MaxDim(KernelPath p) => KernelPaths.IsModel(p) ? 24 : 70;
}
