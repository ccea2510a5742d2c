using System.Globalization;
using System.Runtime.InteropServices;
using EdgeRuntime.Cli;
using EdgeRuntime.Execution;
using EdgeRuntime.Import.Onnx;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Conformance.Onnx;

/// <summary>The ONNX backend node tests (Debian <c>libonnx-testdata</c>): every test folder
/// (<c>model.onnx</c> + <c>test_data_set_*/input_N.pb, output_N.pb</c>) whose operators are all in
/// <see cref="OnnxConformanceScope.Operators"/> is compiled and run, and each output is compared
/// like the ONNX backend test runner does: <c>|actual - expected| ≤ atol + rtol·|expected|</c> with
/// rtol = 1e-3, atol = 1e-7 for floating point, exact equality for integers and booleans, and the
/// same shape and element type. Tests with an operator outside the scope are not counted.
/// Shape-like inputs that arrive as graph inputs are bound to the test's data at compile time;
/// every other input (weights included) stays a run-time input.</summary>
public sealed class OnnxConformanceSuite : IConformanceSuite
{
    public const double RelativeTolerance = 1e-3;
    public const double AbsoluteTolerance = 1e-7;

    /// <summary>Element types the runtime represents but no operator computes in; cases using them are
    /// skipped. Empty today: double and float16 are handled by the operators that accept them (Cast,
    /// Max, Min...) and refused with a clear error by the others.</summary>
    public static readonly IReadOnlySet<DataType> UnsupportedRuntimeTypes = new HashSet<DataType>();

    /// <summary>Types the runtime stores and converts but never computes in: a case using one is run
    /// only when all its operators merely convert or pass values (<see cref="StorageOperators"/>).</summary>
    public static readonly IReadOnlySet<DataType> StorageOnlyTypes = new HashSet<DataType> { DataType.Float16 };
    public static readonly IReadOnlySet<string> StorageOperators = new HashSet<string>(StringComparer.Ordinal) { "Cast", "CastLike", "Identity", "Constant" };

    public string Name => "onnx";

    public string DefaultDataDir => FindDefaultDataDir() ?? "/usr/include/onnx/backend/test/data/node";

    /// <summary>Where Debian's libonnx-testdata (or a pip onnx) keeps the node tests; null when absent.</summary>
    public static string? FindDefaultDataDir()
    {
        string[] candidates =
        [
            "/usr/include/onnx/backend/test/data/node",
            "/usr/share/onnx/backend/test/data/node",
            "/usr/lib/python3/dist-packages/onnx/backend/test/data/node",
        ];
        return candidates.FirstOrDefault(Directory.Exists);
    }

    public ConformanceReport Run(string dataDir, Args args, TextWriter log)
    {
        string? filter = args.Get("filter");
        bool verbose = args.Flag("verbose");
        return RunAll(dataDir, filter, verbose ? log : TextWriter.Null);
    }

    /// <summary>Run every in-scope case under <paramref name="dataDir"/> whose name contains
    /// <paramref name="filter"/> (all when null). Never throws for a bad case: it is a failure.</summary>
    public static ConformanceReport RunAll(string dataDir, string? filter, TextWriter log)
    {
        var report = new ConformanceReport { Suite = "onnx", DataDir = dataDir };
        foreach (string dir in Directory.EnumerateDirectories(dataDir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (filter is not null && !name.Contains(filter, StringComparison.Ordinal)) continue;
            var result = RunCase(dir);
            switch (result.Outcome)
            {
                case CaseOutcome.OutOfScope:
                    continue;
                case CaseOutcome.Passed:
                    report.Pass();
                    log.WriteLine($"PASS {name}");
                    break;
                case CaseOutcome.Skipped:
                    report.Skip(name, result.Reason);
                    log.WriteLine($"SKIP {name}: {result.Reason}");
                    break;
                default:
                    report.Fail(name, result.Reason);
                    log.WriteLine($"FAIL {name}: {result.Reason}");
                    break;
            }
        }
        return report;
    }

    public enum CaseOutcome { OutOfScope, Passed, Failed, Skipped }

    public readonly record struct CaseResult(CaseOutcome Outcome, string Reason = "");

    /// <summary>Run one node test folder.</summary>
    public static CaseResult RunCase(string dir)
    {
        string modelPath = Path.Combine(dir, "model.onnx");
        if (!File.Exists(modelPath)) return new(CaseOutcome.OutOfScope);
        byte[] modelBytes;
        try
        {
            modelBytes = File.ReadAllBytes(modelPath);
            var proto = OnnxImporter.ParseModel(modelBytes, modelPath);
            if (proto.Graph is null) return new(CaseOutcome.Failed, $"{modelPath}: no graph");
            foreach (var n in proto.Graph.Node)
                if (n.Domain is not ("" or "ai.onnx") || !OnnxConformanceScope.Operators.Contains(n.OpType))
                    return new(CaseOutcome.OutOfScope);
            // Declared graph input/output types decide support before anything runs (a bfloat16
            // output, for example, is stored as uint16 in the test data).
            foreach (var vi in proto.Graph.Input.Concat(proto.Graph.Output))
            {
                if (vi.Type is null) continue;
                if (vi.Type.TensorType is not { } tt)
                    return new(CaseOutcome.Skipped, $"'{vi.Name}' is a{(vi.Type.ValueCase == OnnxTypeCase.OptionalType ? "n" : "")} {ValueKind(vi.Type.ValueCase)} value; only tensors are supported");
                string? why = RuntimeTypeProblem(tt.ElemType);
                if (why is not null) return new(CaseOutcome.Skipped, $"'{vi.Name}': {why}");
                if (StorageOnlyTypes.Contains(OnnxImporter.MapType(tt.ElemType, vi.Name))
                    && proto.Graph.Node.FirstOrDefault(n => !StorageOperators.Contains(n.OpType)) is { } computing)
                    return new(CaseOutcome.Skipped, $"'{vi.Name}': element type {OnnxImporter.TypeName(tt.ElemType)} is storage-only (converted by Cast, never computed in); {computing.OpType} would compute in it");
            }
        }
        catch (Exception e) when (e is ModelException or IOException)
        {
            return new(CaseOutcome.Failed, e.Message);
        }

        var sets = Directory.EnumerateDirectories(dir, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
        if (sets.Count == 0) return new(CaseOutcome.Failed, "no test_data_set_* folder");
        try
        {
            foreach (string set in sets)
            {
                var r = RunDataSet(modelBytes, modelPath, set);
                if (r.Outcome != CaseOutcome.Passed) return r;
            }
            return new(CaseOutcome.Passed);
        }
        catch (UnsupportedDataTypeException e) { return new(CaseOutcome.Skipped, e.Message); }
        catch (UnsupportedFeatureException e) { return new(CaseOutcome.Skipped, e.Message); }
        catch (ModelException e) { return new(CaseOutcome.Failed, e.Message); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A crash in an operator is a failure of that case, never of the whole suite.
            return new(CaseOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static CaseResult RunDataSet(byte[] modelBytes, string modelPath, string setDir)
    {
        string setName = Path.GetFileName(setDir);
        var graph = OnnxImporter.Load(modelBytes, modelPath);
        var inputs = ReadNumbered(setDir, "input");
        var expected = ReadNumbered(setDir, "output");
        if (inputs.Count > graph.Inputs.Count)
            return new(CaseOutcome.Failed, $"{setName}: {inputs.Count} inputs given, the model has {graph.Inputs.Count}");
        if (expected.Count > graph.Outputs.Count)
            return new(CaseOutcome.Failed, $"{setName}: {expected.Count} outputs expected, the model has {graph.Outputs.Count}");
        foreach (var t in inputs.Concat(expected))
            if (UnsupportedRuntimeTypes.Contains(t.Type))
                return new(CaseOutcome.Skipped, $"element type {TypeWord(t.Type)} is not supported by the fp32 runtime");

        var options = new CompileOptions();
        var runtimeInputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < inputs.Count; i++)
        {
            string name = graph.Inputs[i];
            var value = inputs[i];
            var declared = graph[name];
            if (declared.Type != value.Type)
                return new(CaseOutcome.Failed, $"{setName}: input_{i} is {value.Type.ShortName()}, model input '{name}' is {declared.Type.ShortName()}");
            if (IsShapeLike(graph, name)) options.FixedInputs[name] = value;
            else
            {
                options.InputShapes[name] = value.Shape;
                runtimeInputs[name] = value;
            }
        }
        var plan = Compiler.Compile(graph, options);
        using var session = new Session(plan);
        for (int i = 0; i < session.Inputs.Count; i++)
        {
            var t = session.Inputs[i];
            if (!runtimeInputs.TryGetValue(t.Name, out var value))
                return new(CaseOutcome.Failed, $"{setName}: no data for model input '{t.Name}'");
            var dst = session.InputBytes(i);
            if (dst.Length != value.Constant!.Length)
                return new(CaseOutcome.Failed, $"{setName}: input '{t.Name}' planned as {dst.Length} bytes, data has {value.Constant.Length}");
            value.Constant.CopyTo(dst);
        }
        session.Run();

        for (int i = 0; i < expected.Count; i++)
        {
            string outName = graph.Outputs[i];
            var want = expected[i];
            var got = graph[outName];
            string where = $"{setName}: output '{outName}'";
            if (got.Type != want.Type)
                return new(CaseOutcome.Failed, $"{where} is {got.Type.ShortName()}, expected {want.Type.ShortName()}");
            if (!got.Shape.AsSpan().SequenceEqual(want.Shape))
                return new(CaseOutcome.Failed, $"{where} has shape [{string.Join(",", got.Shape)}], expected [{string.Join(",", want.Shape)}]");
            var gotBytes = session.TensorBytes(outName);
            if (Compare(want.Type, gotBytes, want.Constant!) is { } mismatch)
                return new(CaseOutcome.Failed, $"{where}: {mismatch}");
        }
        return new(CaseOutcome.Passed);
    }

    /// <summary>Is graph input <paramref name="name"/> read at a shape-like position of some node?</summary>
    private static bool IsShapeLike(Graph graph, string name)
    {
        foreach (var node in graph.Nodes)
            for (int k = 0; k < node.Inputs.Count; k++)
                if (node.Inputs[k] == name && OnnxConformanceScope.IsShapeInput(node.OpType, k))
                    return true;
        return false;
    }

    private static List<Tensor> ReadNumbered(string dir, string stem)
    {
        var list = new List<Tensor>();
        for (int i = 0; ; i++)
        {
            string p = Path.Combine(dir, $"{stem}_{i}.pb");
            if (!File.Exists(p)) break;
            list.Add(OnnxImporter.LoadTensor(p, $"{stem}_{i}"));
        }
        return list;
    }

    /// <summary>Null when equal within tolerance; otherwise where and by how much it differs.</summary>
    public static string? Compare(DataType type, ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        if (actual.Length != expected.Length) return $"{actual.Length} bytes, expected {expected.Length}";
        switch (type)
        {
            case DataType.Float32:
            {
                var a = MemoryMarshal.Cast<byte, float>(actual);
                var e = MemoryMarshal.Cast<byte, float>(expected);
                int bad = 0, first = -1;
                double worst = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    if (Close(a[i], e[i])) continue;
                    if (first < 0) first = i;
                    bad++;
                    double err = Math.Abs((double)a[i] - e[i]);
                    if (!(err <= worst)) worst = err;
                }
                return bad == 0 ? null
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{bad} of {a.Length} values differ beyond rtol {RelativeTolerance:g}, atol {AbsoluteTolerance:g}; first at [{first}]: got {a[first]:g9}, expected {e[first]:g9}; max abs error {worst:g4}");
            }
            case DataType.Float64:
            {
                var a = MemoryMarshal.Cast<byte, double>(actual);
                var e = MemoryMarshal.Cast<byte, double>(expected);
                for (int i = 0; i < a.Length; i++)
                    if (!Close(a[i], e[i]))
                        return string.Create(CultureInfo.InvariantCulture, $"element [{i}]: got {a[i]:g17}, expected {e[i]:g17} (rtol {RelativeTolerance:g}, atol {AbsoluteTolerance:g})");
                return null;
            }
            case DataType.Float16:
            {
                var a = MemoryMarshal.Cast<byte, Half>(actual);
                var e = MemoryMarshal.Cast<byte, Half>(expected);
                for (int i = 0; i < a.Length; i++)
                    if (!Close((double)a[i], (double)e[i]))
                        return string.Create(CultureInfo.InvariantCulture, $"element [{i}]: got {(double)a[i]:g6}, expected {(double)e[i]:g6} (rtol {RelativeTolerance:g}, atol {AbsoluteTolerance:g})");
                return null;
            }
            default:
            {
                int size = type.SizeInBytes();
                for (int i = 0; i < actual.Length; i += size)
                    if (!actual.Slice(i, size).SequenceEqual(expected.Slice(i, size)))
                        return $"element [{i / size}] differs (exact comparison for {type.ShortName()})";
                return null;
            }
        }
    }

    /// <summary>The ONNX runner's test (numpy.testing.assert_allclose): NaN equals NaN, infinities must match.</summary>
    public static bool Close(float actual, float expected) => Close((double)actual, expected);

    public static bool Close(double actual, double expected)
    {
        if (double.IsNaN(expected)) return double.IsNaN(actual);
        if (double.IsInfinity(expected)) return actual == expected;
        return Math.Abs(actual - expected) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(expected);
    }

    /// <summary>Why the runtime cannot run a tensor of ONNX element type <paramref name="elemType"/>; null when it can.</summary>
    public static string? RuntimeTypeProblem(int elemType)
    {
        try
        {
            var t = OnnxImporter.MapType(elemType, "");
            return UnsupportedRuntimeTypes.Contains(t) ? $"element type {TypeWord(t)} is not supported by the fp32 runtime" : null;
        }
        catch (UnsupportedDataTypeException)
        {
            return $"element type {OnnxImporter.TypeName(elemType)} is not supported by the runtime";
        }
    }

    private static string ValueKind(OnnxTypeCase c) => c switch
    {
        OnnxTypeCase.SequenceType => "sequence",
        OnnxTypeCase.MapType => "map",
        OnnxTypeCase.OptionalType => "optional",
        OnnxTypeCase.SparseTensorType => "sparse tensor",
        _ => "non-tensor",
    };

    private static string TypeWord(DataType t) => t switch
    {
        DataType.Float64 => "double",
        DataType.Float16 => "float16",
        _ => t.ShortName(),
    };
}
