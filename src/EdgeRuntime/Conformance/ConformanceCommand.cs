using System.Text.Json;
using EdgeRuntime.Cli;

namespace EdgeRuntime.Conformance;

/// <summary>A conformance suite: runs every case from a data folder and reports pass/fail/skip.</summary>
public interface IConformanceSuite
{
    string Name { get; }
    /// <summary>Default data folder (e.g. the Debian package path or ../shared/conformance/...).</summary>
    string DefaultDataDir { get; }
    ConformanceReport Run(string dataDir, Args args, TextWriter log);
}

/// <summary><c>edgert conformance SUITE [--data DIR] [--json]</c>. Suites register in their own partial method.</summary>
public sealed partial class ConformanceCommand : ICommand
{
    public string Name => "conformance";
    public string Summary => "run a conformance suite (onnx, rtneural, nam, neon, tflite) against reference data";
    public string Usage => "usage: edgert conformance <" + string.Join("|", Suites().Keys.Order()) + "> [--data DIR] [--json] [--filter SUBSTRING] [--verbose]";

    public static Dictionary<string, IConformanceSuite> Suites()
    {
        var d = new Dictionary<string, IConformanceSuite>(StringComparer.Ordinal);
        void Add(IConformanceSuite s) => d.Add(s.Name, s);
        RegisterOnnx(Add);
        RegisterRtNeural(Add);
        RegisterNam(Add);
        RegisterNeon(Add);
        RegisterTflite(Add);
        return d;
    }

    static partial void RegisterOnnx(Action<IConformanceSuite> add);
    static partial void RegisterRtNeural(Action<IConformanceSuite> add);
    static partial void RegisterNam(Action<IConformanceSuite> add);
    static partial void RegisterNeon(Action<IConformanceSuite> add);
    static partial void RegisterTflite(Action<IConformanceSuite> add);

    public int Run(Args args)
    {
        var suites = Suites();
        string? name = args.Pos(0);
        if (name is null || !suites.TryGetValue(name, out var suite))
            throw new UsageException($"name a suite: {string.Join(", ", suites.Keys.Order())}");
        string dir = args.Get("data") ?? suite.DefaultDataDir;
        bool json = args.Flag("json");
        var log = json ? TextWriter.Null : Console.Out;
        if (!Directory.Exists(dir))
            throw new Ir.ModelException($"conformance {name}: data folder '{dir}' not found (pass --data DIR)");
        var report = suite.Run(dir, args, log);
        report.Suite = name;
        report.DataDir = dir;
        args.EnsureAllUsed();
        if (json) Console.WriteLine(JsonSerializer.Serialize(report, EdgeJsonContext.Default.ConformanceReport));
        else
        {
            foreach (var f in report.Failures) Console.WriteLine($"FAIL {f.Case}: {f.Reason}");
            foreach (var u in report.Unverified) Console.WriteLine($"UNVERIFIED {u.Case}: {u.Reason}");
            Console.WriteLine($"{name}: {report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped");
        }
        return report.Failed == 0 ? 0 : 1;
    }

    /// <summary>Locate the repository's sibling <c>shared/</c> folder (../shared from the repo root)
    /// by walking up from the current directory and from the executable's directory.</summary>
    public static string SharedDir(params string[] parts)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "conformance")) || Directory.Exists(Path.Combine(candidate, "neon-vectors")))
                    return Path.Combine([candidate, .. parts]);
            }
        }
        return Path.Combine(["..", "shared", .. parts]);
    }
}
