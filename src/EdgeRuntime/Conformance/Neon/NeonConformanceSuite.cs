using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Cli;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Conformance.Neon;

/// <summary><c>edgert conformance neon</c>: runs every case of every <c>neon-vectors/*.json</c> file whose
/// intrinsic the software NEON model implements (<see cref="NeonModelCatalog"/>). Integers compare exactly;
/// floats per the file's compare mode: <c>bitwise</c>, or <c>abs_tolerance</c> with bit-exact comparison on
/// lanes flagged <c>r_bits_exact</c> and |Δ| ≤ slop elsewhere (NaN matches any NaN; infinities exactly).
/// Instructions the kernels use without vectors are reported in <c>unverified</c> with the reason.</summary>
public sealed class NeonConformanceSuite : IConformanceSuite
{
    public string Name => "neon";
    public string DefaultDataDir => ConformanceCommand.SharedDir("neon-vectors");

    public ConformanceReport Run(string dataDir, Args args, TextWriter log)
    {
        string? filter = args.Get("filter");
        bool verbose = args.Flag("verbose");
        var report = new ConformanceReport();
        var files = Directory.GetFiles(dataDir, "*.json").Where(f => Path.GetFileName(f) != "index.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new Ir.ModelException($"conformance neon: no vector files (*.json) in '{dataDir}'");
        var fileOk = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string intrinsic = Path.GetFileNameWithoutExtension(file);
            if (filter is not null && !intrinsic.Contains(filter, StringComparison.Ordinal)) continue;
            int before = report.Failed;
            try { RunFile(file, report, log, verbose); }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
            {
                report.Fail(intrinsic, $"malformed vector file {file}: {e.Message}");
            }
            fileOk[intrinsic] = report.Failed == before && NeonModelCatalog.TryGet(intrinsic, out _);
        }
        foreach (var u in NeonModelCatalog.UsedInstructions)
        {
            if (u.Intrinsics.Length == 0)
                report.Unverified.Add(new CaseResult(u.Instruction, $"used by {u.UsedBy}; {u.ReasonIfUnverified}"));
            else if (!u.Intrinsics.Any(i => fileOk.GetValueOrDefault(i)))
                report.Unverified.Add(new CaseResult(u.Instruction, $"used by {u.UsedBy}; vector files {string.Join(", ", u.Intrinsics)} missing or failing in {dataDir}"));
            else if (u.ReasonIfUnverified.Length > 0)
                report.Unverified.Add(new CaseResult(u.Instruction, $"used by {u.UsedBy}; partly verified: {u.ReasonIfUnverified}"));
        }
        log.WriteLine($"neon: {files.Count} vector files, {NeonModelCatalog.UsedInstructions.Length} instructions used by the kernels, {report.Unverified.Count} unverified");
        return report;
    }

    private static void RunFile(string file, ConformanceReport report, TextWriter log, bool verbose)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = doc.RootElement;
        string intrinsic = root.GetProperty("intrinsic").GetString() ?? Path.GetFileNameWithoutExtension(file);
        if (NeonModelCatalog.NotImplemented.TryGetValue(intrinsic, out var why)) { report.Skip(intrinsic, why); return; }
        if (!NeonModelCatalog.TryGet(intrinsic, out var eval)) { report.Skip(intrinsic, "the NEON model does not implement this intrinsic"); return; }
        var sig = root.GetProperty("signature");
        var argSpecs = sig.GetProperty("args").EnumerateArray().Select(a => (
            Name: a.GetProperty("name").GetString()!,
            Kind: a.GetProperty("kind").GetString()!,
            Elem: a.TryGetProperty("elem", out var e) ? e.GetString()! : "")).ToList();
        var result = sig.GetProperty("result");
        string relem = result.GetProperty("elem").GetString()!;
        var compare = root.GetProperty("compare");
        string mode = compare.GetProperty("mode").GetString()!;
        double slop = compare.TryGetProperty("slop", out var sl) ? sl.GetDouble() : 0;
        int ci = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            string name = $"{intrinsic}#{ci++}";
            var operands = new List<long[]>();
            int imm = 0;
            foreach (var (argName, kind, elem) in argSpecs)
            {
                if (kind == "immediate") { imm = c.GetProperty(argName).GetInt32(); continue; }
                operands.Add(ReadLanes(c, argName, elem));
            }
            long[] want = ReadLanes(c, "r", relem);
            long[] got = eval(operands.ToArray(), imm);
            string? diff = Compare(got, want, relem, mode, slop, c);
            if (diff is null) { report.Pass(); if (verbose) log.WriteLine($"ok   {name}"); }
            else report.Fail(name, diff);
        }
    }

    private static bool IsFloat(string elem) => elem is "float32" or "float16";

    /// <summary>Lanes of one operand: integer values, or float bits from <c>NAME_bits</c>.</summary>
    private static long[] ReadLanes(JsonElement c, string name, string elem)
    {
        if (IsFloat(elem))
        {
            var bits = c.GetProperty(name + "_bits");
            return bits.ValueKind == JsonValueKind.Array
                ? bits.EnumerateArray().Select(b => ParseHex(b.GetString()!)).ToArray()
                : [ParseHex(bits.GetString()!)];
        }
        var v = c.GetProperty(name);
        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetInt64()).ToArray() : [v.GetInt64()];
    }

    private static long ParseHex(string s) => long.Parse(s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static double ToDouble(long bits, string elem) => elem == "float16"
        ? (double)BitConverter.UInt16BitsToHalf((ushort)bits)
        : BitConverter.Int32BitsToSingle((int)bits);

    private static string? Compare(long[] got, long[] want, string elem, string mode, double slop, JsonElement c)
    {
        if (got.Length != want.Length) return $"model returned {got.Length} lanes, expected {want.Length}";
        bool[]? exactLanes = null;
        if (c.TryGetProperty("r_bits_exact", out var ex))
            exactLanes = ex.ValueKind == JsonValueKind.Array ? ex.EnumerateArray().Select(e => e.GetBoolean()).ToArray() : [ex.GetBoolean()];
        for (int i = 0; i < want.Length; i++)
        {
            if (!IsFloat(elem))
            {
                if (got[i] != want[i]) return $"lane {i}: model {got[i]}, hardware {want[i]}";
                continue;
            }
            double g = ToDouble(got[i], elem), w = ToDouble(want[i], elem);
            if (double.IsNaN(w) && double.IsNaN(g)) continue;
            bool bitExact = mode == "bitwise" || mode == "exact" || (exactLanes is not null && exactLanes[i]);
            if (bitExact || double.IsInfinity(w) || double.IsNaN(w) || double.IsNaN(g))
            {
                if (got[i] != want[i]) return $"lane {i}: model {g.ToString("R", CultureInfo.InvariantCulture)} (0x{got[i]:x}), expected bit-exact {w.ToString("R", CultureInfo.InvariantCulture)} (0x{want[i]:x})";
            }
            else if (Math.Abs(g - w) > slop)
                return $"lane {i}: model {g.ToString("R", CultureInfo.InvariantCulture)}, expected {w.ToString("R", CultureInfo.InvariantCulture)} ± {slop}";
        }
        return null;
    }
}
