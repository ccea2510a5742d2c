using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using X86 = System.Runtime.Intrinsics.X86;
using Arm = System.Runtime.Intrinsics.Arm;
using EdgeRuntime.Board.Thermal;

namespace EdgeRuntime.Bench;

/// <summary>What a benchmark ran on, recorded in every results file so a desktop run and a board
/// run can be put side by side.</summary>
public sealed class MachineInfo
{
    public string CpuModel { get; set; } = "unknown";
    public int Cores { get; set; }
    public string Arch { get; set; } = "";
    public List<string> IsaFeatures { get; set; } = new();
    public string? Governor { get; set; }
    public double? FreqMhz { get; set; }
    public double? TempC { get; set; }
    public string? Throttled { get; set; }
    public string Board { get; set; } = "";
    public string Runtime { get; set; } = "";
    /// <summary>True when running as a NativeAOT binary (its ISA was fixed at publish time).</summary>
    public bool NativeAot { get; set; }
    public string Os { get; set; } = "";

    public static MachineInfo Probe(string root = "/")
    {
        var state = new BoardStateReader(root);
        var info = new MachineInfo
        {
            CpuModel = ReadCpuModel(Path.Combine(root, "proc/cpuinfo")),
            Cores = Environment.ProcessorCount,
            Arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            IsaFeatures = IsaFeaturesInUse(),
            Runtime = RuntimeInformation.FrameworkDescription,
            NativeAot = !RuntimeFeature.IsDynamicCodeSupported,
            Os = RuntimeInformation.OSDescription,
        };
        try
        {
            var s = state.Read();
            info.Governor = s.Governor;
            info.FreqMhz = s.FreqMhz;
            info.TempC = s.TempC;
            info.Throttled = s.Throttled is uint t ? BoardState.DescribeThrottled(t) : null;
            info.Board = state.ReadBoardId();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return info;
    }

    /// <summary>Instruction-set extensions the runtime will use on this machine (as the JIT or the
    /// NativeAOT compile reports them).</summary>
    public static List<string> IsaFeaturesInUse()
    {
        var f = new List<string>();
        if (X86.Sse42.IsSupported) f.Add("sse4.2");
        if (X86.Avx.IsSupported) f.Add("avx");
        if (X86.Avx2.IsSupported) f.Add("avx2");
        if (X86.Fma.IsSupported) f.Add("fma");
        if (X86.Avx512F.IsSupported) f.Add("avx512f");
        if (X86.Avx512BW.IsSupported) f.Add("avx512bw");
        if (X86.AvxVnni.IsSupported) f.Add("avxvnni");
        if (Vector512.IsHardwareAccelerated) f.Add("vector512");
        if (Arm.AdvSimd.IsSupported) f.Add("advsimd");
        if (Arm.AdvSimd.Arm64.IsSupported) f.Add("advsimd.arm64");
        if (Arm.Dp.IsSupported) f.Add("dotprod");
        if (Arm.Rdm.IsSupported) f.Add("rdm");
        if (f.Count == 0) f.Add("scalar");
        return f;
    }

    private static string ReadCpuModel(string cpuinfo)
    {
        try
        {
            foreach (var line in File.ReadLines(cpuinfo))
            {
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                string key = line[..colon].Trim();
                if (key is "model name" or "Model" or "Hardware" or "cpu model")
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "unknown";
    }

    public override string ToString() =>
        $"{CpuModel}, {Cores} cores, {Arch} [{string.Join(" ", IsaFeatures)}]" +
        $"{(Governor is null ? "" : $", governor {Governor}")}{(FreqMhz is double mhz ? $", {mhz:F0} MHz" : "")}{(TempC is double c ? $", {c:F1} °C" : "")}";
}
