using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeRuntime.Cli;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Conformance;

/// <summary><c>edgert conformance tflite</c>: the MLPerf Tiny models against the TFLite reference
/// outputs in <c>mlperf-tiny/reference/index.json</c> (records with role "reference"). Each model is
/// compiled once with its logits tensors kept as extra outputs; every input is run and every
/// record (output and logits) compared: int8 exactly, float32 within 1e-5 absolute + 1e-5 relative.</summary>
public sealed class TfliteSuite : IConformanceSuite
{
    public const double FloatAbsTolerance = 1e-5, FloatRelTolerance = 1e-5;

    public string Name => "tflite";
    public string DefaultDataDir => ConformanceCommand.SharedDir("conformance", "mlperf-tiny");

    public sealed record Record(string Model, int Seed, string Set, string Kind, string TensorName, string InputFile,
        string InputDtype, string OutputFile, string OutputDtype, long OutputElements);

    /// <summary>Reference records of <paramref name="indexPath"/> (role == "reference").</summary>
    public static List<Record> ReadIndex(string indexPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        var list = new List<Record>();
        if (!doc.RootElement.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            throw new ModelException($"{indexPath}: no 'records' array");
        foreach (var r in records.EnumerateArray())
        {
            if (r.GetProperty("role").GetString() != "reference") continue;
            long elements = 1;
            foreach (var d in r.GetProperty("output_shape").EnumerateArray()) elements *= d.GetInt64();
            list.Add(new Record(r.GetProperty("model").GetString()!, r.GetProperty("seed").GetInt32(), r.GetProperty("set").GetString() ?? "",
                r.GetProperty("kind").GetString()!, r.GetProperty("tensor_name").GetString()!, r.GetProperty("input_file").GetString()!,
                r.GetProperty("input_dtype").GetString()!, r.GetProperty("output_file").GetString()!, r.GetProperty("output_dtype").GetString()!, elements));
        }
        return list;
    }

    public ConformanceReport Run(string dataDir, Args args, TextWriter log)
    {
        string? filter = args.Get("filter");
        bool verbose = args.Flag("verbose");
        string refDir = Path.Combine(dataDir, "reference");
        string modelDir = dataDir;
        if (!File.Exists(Path.Combine(refDir, "index.json")) && File.Exists(Path.Combine(dataDir, "index.json")))
        {
            refDir = dataDir;
            modelDir = Path.GetDirectoryName(Path.GetFullPath(dataDir))!;
        }
        string index = Path.Combine(refDir, "index.json");
        if (!File.Exists(index)) throw new ModelException($"conformance tflite: {index} not found");
        var report = new ConformanceReport();
        foreach (var group in ReadIndex(index).GroupBy(r => r.Model))
        {
            var records = group.Where(r => filter is null || $"{r.Model}/s{r.Seed}/{r.Kind}".Contains(filter, StringComparison.Ordinal)).ToList();
            if (records.Count == 0) continue;
            Session? session = null;
            try
            {
                var graph = ModelLoader.Load(Path.Combine(modelDir, group.Key));
                var options = new CompileOptions();
                foreach (var name in records.Select(r => r.TensorName).Distinct())
                    if (!graph.Outputs.Contains(name)) options.ExtraOutputs.Add(name);
                session = new Session(Compiler.Compile(graph, options));
            }
            catch (ModelException e)
            {
                foreach (var r in records) report.Fail($"{r.Model}/s{r.Seed}/{r.Kind}", e.Message);
                log.WriteLine($"FAIL {group.Key}: {e.Message}");
                continue;
            }
            using (session)
            {
                foreach (var byInput in records.GroupBy(r => r.InputFile))
                {
                    string? runError = null;
                    try
                    {
                        if (session.Inputs.Count != 1) throw new ModelException($"{group.Key}: expected one input, model has {session.Inputs.Count}");
                        var bytes = File.ReadAllBytes(Path.Combine(refDir, byInput.Key));
                        var dst = session.InputBytes(0);
                        if (bytes.Length != dst.Length)
                            throw new ModelException($"input file {byInput.Key} has {bytes.Length} bytes, input '{session.Inputs[0].Name}' needs {dst.Length}");
                        bytes.CopyTo(dst);
                        session.Run();
                    }
                    catch (Exception e) when (e is ModelException or IOException)
                    {
                        runError = e.Message;
                    }
                    foreach (var r in byInput)
                    {
                        string name = $"{r.Model}/s{r.Seed}/{r.Kind}";
                        string? failure = runError ?? Compare(session, r, refDir);
                        if (failure is null)
                        {
                            report.Pass();
                            if (verbose) log.WriteLine($"ok   {name}");
                        }
                        else
                        {
                            report.Fail(name, failure);
                            log.WriteLine($"FAIL {name}: {failure}");
                        }
                    }
                }
            }
        }
        return report;
    }

    private static string? Compare(Session session, Record r, string refDir)
    {
        var tensor = session.Plan.Graph[r.TensorName];
        var actual = session.TensorBytes(r.TensorName);
        var expected = File.ReadAllBytes(Path.Combine(refDir, r.OutputFile));
        string dtype = tensor.Type switch { DataType.Int8 => "int8", DataType.Float32 => "float32", DataType.UInt8 => "uint8", _ => tensor.Type.ShortName() };
        if (dtype != r.OutputDtype) return $"tensor '{r.TensorName}' is {dtype}, reference is {r.OutputDtype}";
        if (tensor.ElementCount != r.OutputElements || actual.Length != expected.Length)
            return $"tensor '{r.TensorName}' has {tensor.ElementCount} elements ({actual.Length} bytes), reference {r.OutputElements} ({expected.Length} bytes)";
        if (tensor.Type == DataType.Float32)
        {
            var a = MemoryMarshal.Cast<byte, float>(actual);
            var e = MemoryMarshal.Cast<byte, float>(expected.AsSpan());
            int bad = 0, worst = -1;
            double worstDiff = 0;
            for (int i = 0; i < a.Length; i++)
            {
                double d = Math.Abs((double)a[i] - e[i]);
                bool ok = d <= FloatAbsTolerance + FloatRelTolerance * Math.Abs(e[i]) || (float.IsNaN(a[i]) && float.IsNaN(e[i]));
                if (!ok) { bad++; if (d > worstDiff || worst < 0) { worstDiff = d; worst = i; } }
            }
            return bad == 0 ? null : string.Create(CultureInfo.InvariantCulture,
                $"{bad}/{a.Length} values outside 1e-5 abs + 1e-5 rel; worst at {worst}: {a[worst]:R} vs {e[worst]:R} (|diff| {worstDiff:G4})");
        }
        int mismatches = 0, maxLsb = 0, at = -1;
        bool signed = tensor.Type == DataType.Int8;
        for (int i = 0; i < actual.Length; i++)
        {
            int x = signed ? (sbyte)actual[i] : actual[i], y = signed ? (sbyte)expected[i] : expected[i];
            if (x != y) { mismatches++; if (Math.Abs(x - y) > maxLsb) { maxLsb = Math.Abs(x - y); at = i; } }
        }
        return mismatches == 0 ? null : $"{mismatches}/{actual.Length} values differ (not bit-exact), max {maxLsb} LSB at {at}";
    }
}
