using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeRuntime.Cli;
using EdgeRuntime.Execution;
using EdgeRuntime.Import.Nam;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Conformance;

/// <summary><c>edgert conformance nam</c>: every reference in <c>manifest.json</c> of
/// shared/conformance/nam, rendered by NeuralAmpModelerCore (exact tanh, blocks of 64, with and
/// without prewarm). Pass: max|y − ref| ≤ 1e-5·max(1, peak|ref|) over all samples from sample 0.</summary>
public sealed class NamConformanceSuite : IConformanceSuite
{
    public string Name => "nam";
    public string DefaultDataDir => ConformanceCommand.SharedDir("conformance", "nam");

    public sealed record Case(string Name, string ModelPath, string ReferencePath, double? SlimmableSize, int BufferSize, bool Prewarm, int Samples);

    public static (float[] Input, List<Case> Cases) ReadManifest(string dataDir)
    {
        string manifestPath = Path.Combine(dataDir, "manifest.json");
        if (!File.Exists(manifestPath)) throw new ModelException($"conformance nam: {manifestPath} not found");
        using var doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var root = doc.RootElement;
        var input = ReadF32(Path.Combine(dataDir, root.GetProperty("input").GetProperty("file").GetString()!));
        var models = root.GetProperty("models");
        var cases = new List<Case>();
        foreach (var r in root.GetProperty("references").EnumerateArray())
        {
            string model = r.GetProperty("model").GetString()!;
            string file = r.GetProperty("file").GetString()!;
            double? slim = r.TryGetProperty("slimmable_size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
            cases.Add(new Case(Path.GetFileNameWithoutExtension(file), Path.Combine(dataDir, models.GetProperty(model).GetProperty("path").GetString()!),
                Path.Combine(dataDir, file), slim, r.GetProperty("buffer_size").GetInt32(), r.GetProperty("prewarm").GetBoolean(),
                r.GetProperty("samples").GetInt32()));
        }
        return (input, cases);
    }

    public static float[] ReadF32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0) throw new ModelException($"{path}: size {bytes.Length} is not a whole number of float32 samples");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>Run one case; returns the output (mono; first output channel).</summary>
    public static float[] Render(Case c, float[] input)
    {
        var graph = NamImporter.Load(c.ModelPath, new NamImportOptions { SlimmableSize = c.SlimmableSize, MaxFrames = c.BufferSize });
        using var session = new Session(Compiler.Compile(graph));
        session.Reset();
        if (c.Prewarm) NamPrewarm.Run(session, NamImporter.PrewarmSamples(graph));
        int outCh = session.Outputs[0].Shape[1];
        int inCh = session.Inputs[0].Shape[1];
        int n = Math.Min(c.Samples, input.Length);
        var y = new float[n];
        var xin = session.Input(0);
        for (int t = 0; t < n; t += c.BufferSize)
        {
            int f = Math.Min(c.BufferSize, n - t);
            xin.Clear();
            for (int i = 0; i < f; i++) xin[i * inCh] = input[t + i];
            session.Run(f);
            var o = session.Output(0);
            for (int i = 0; i < f; i++) y[t + i] = o[i * outCh];
        }
        return y;
    }

    public ConformanceReport Run(string dataDir, Args args, TextWriter log)
    {
        string? filter = args.Get("filter");
        bool verbose = args.Flag("verbose");
        var report = new ConformanceReport();
        var (input, cases) = ReadManifest(dataDir);
        foreach (var c in cases)
        {
            if (filter is not null && !c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
            var sw = Stopwatch.StartNew();
            try
            {
                var reference = ReadF32(c.ReferencePath);
                var y = Render(c, input);
                if (reference.Length != y.Length)
                {
                    report.Fail(c.Name, $"reference has {reference.Length} samples, rendered {y.Length}");
                    continue;
                }
                double peak = 0, maxErr = 0;
                int at = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    peak = Math.Max(peak, Math.Abs(reference[i]));
                    double e = Math.Abs((double)y[i] - reference[i]);
                    if (!(e <= maxErr)) { maxErr = e; at = i; }
                }
                double tol = 1e-5 * Math.Max(1, peak);
                string detail = string.Create(CultureInfo.InvariantCulture, $"max|y-ref| = {maxErr:E2} at sample {at} (tolerance {tol:E2}, peak {peak:G4})");
                if (maxErr <= tol)
                {
                    report.Pass();
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PASS {c.Name}: {detail} [{sw.Elapsed.TotalSeconds:F2} s]"));
                }
                else
                {
                    report.Fail(c.Name, detail);
                    if (verbose) log.WriteLine($"FAIL {c.Name}: {detail}");
                }
            }
            catch (ModelException e)
            {
                report.Fail(c.Name, e.Message);
            }
        }
        return report;
    }
}
