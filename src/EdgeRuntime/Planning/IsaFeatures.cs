using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Planning;

/// <summary>Instruction-set features by the names plans use ("avx2", "fma", "avx512f", "avxvnni",
/// "advsimd", "dotprod", "rdma"), what this process can execute, and which of them a set of kernel
/// names implies. "portable" means no feature beyond the architecture's baseline.</summary>
public static class IsaFeatures
{
    public const string Portable = "portable";

    /// <summary>Every feature name a plan may require, each with how kernel names spell it.</summary>
    private static readonly (string Feature, string[] KernelTokens)[] s_known =
    [
        ("avx2", ["avx2"]),
        ("fma", ["fma"]),
        ("avx512f", ["avx512", "avx512f"]),
        ("avx512vnni", ["avx512vnni", "vnni512"]),
        ("avxvnni", ["avxvnni", "vnni"]),
        ("advsimd", ["advsimd", "neon"]),
        ("dotprod", ["dotprod", "sdot", "dp"]),
        ("rdma", ["rdma", "rdm"]),
    ];

    public static IEnumerable<string> KnownNames => s_known.Select(k => k.Feature);

    /// <summary>Features this process can execute (as the JIT or the NativeAOT instruction-set
    /// setting exposes them).</summary>
    public static IReadOnlyList<string> Current()
    {
        var f = new List<string>();
        if (Avx2.IsSupported) f.Add("avx2");
        if (Fma.IsSupported) f.Add("fma");
        if (Avx512F.IsSupported) f.Add("avx512f");
        if (AvxVnni.IsSupported) f.Add("avxvnni");
        // .NET 9 has no Avx512Vnni class: AVX10.1 implies AVX512-VNNI; AVX-512F together with AVX-VNNI
        // (Sapphire Rapids and later, Zen 4+) does too.
        if (Avx10v1.IsSupported || (Avx512F.IsSupported && AvxVnni.IsSupported)) f.Add("avx512vnni");
        if (AdvSimd.IsSupported) f.Add("advsimd");
        if (Dp.IsSupported) f.Add("dotprod");
        if (Rdm.IsSupported) f.Add("rdma");
        return f;
    }

    /// <summary>Features named by kernel names such as "gemm.avx2" or "gemv.sdot" (tokens split on
    /// '.', '-', '_' and '+'), sorted; empty when every kernel is portable.</summary>
    public static List<string> FromKernelNames(IEnumerable<string> kernelNames)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in kernelNames)
            foreach (var token in name.ToLowerInvariant().Split(['.', '-', '_', '+', ' '], StringSplitOptions.RemoveEmptyEntries))
                foreach (var (feature, tokens) in s_known)
                    if (tokens.Contains(token)) set.Add(feature);
        return set.ToList();
    }

    /// <summary>Required features this machine lacks.</summary>
    public static List<string> Missing(IEnumerable<string> required)
    {
        var have = Current();
        return required.Where(r => r != Portable && !have.Contains(r)).ToList();
    }

    public static string Describe(IReadOnlyList<string> features) => features.Count == 0 ? Portable : string.Join(", ", features);
}
