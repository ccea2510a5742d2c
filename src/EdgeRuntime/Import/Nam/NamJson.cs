using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Nam;

/// <summary>Checked accessors over a parsed .nam JSON document; every error names the file and the
/// key path at fault.</summary>
internal static class NamJson
{
    public static bool Has(JsonElement o, string key) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public static JsonElement Req(JsonElement o, string key, string where)
    {
        if (o.ValueKind != JsonValueKind.Object) throw new ModelException($"{where}: expected an object");
        if (!o.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            throw new ModelException($"{where}: missing required key '{key}'");
        return v;
    }

    public static JsonElement? Opt(JsonElement o, string key) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static int Int(JsonElement v, string where)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue)
            return (int)d;
        throw new ModelException($"{where}: expected an integer, got {Show(v)}");
    }

    public static int Int(JsonElement o, string key, string where) => Int(Req(o, key, where), $"{where}.{key}");
    public static int Int(JsonElement o, string key, string where, int dflt) => Opt(o, key) is { } v ? Int(v, $"{where}.{key}") : dflt;

    public static double Num(JsonElement v, string where) =>
        v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new ModelException($"{where}: expected a number, got {Show(v)}");

    public static double Num(JsonElement o, string key, string where, double dflt) => Opt(o, key) is { } v ? Num(v, $"{where}.{key}") : dflt;

    public static bool Bool(JsonElement o, string key, string where, bool dflt)
    {
        if (Opt(o, key) is not { } v) return dflt;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ModelException($"{where}.{key}: expected true or false, got {Show(v)}"),
        };
    }

    public static string Str(JsonElement o, string key, string where) =>
        Req(o, key, where) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new ModelException($"{where}.{key}: expected a string");

    public static int[] Ints(JsonElement v, string where)
    {
        if (v.ValueKind != JsonValueKind.Array) throw new ModelException($"{where}: expected an array of integers");
        var r = new int[v.GetArrayLength()];
        int i = 0;
        foreach (var e in v.EnumerateArray()) { r[i] = Int(e, $"{where}[{i}]"); i++; }
        return r;
    }

    public static float[] Floats(JsonElement v, string where)
    {
        if (v.ValueKind != JsonValueKind.Array) throw new ModelException($"{where}: expected an array of numbers");
        var r = new float[v.GetArrayLength()];
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number) throw new ModelException($"{where}[{i}]: expected a number, got {Show(e)}");
            r[i++] = (float)e.GetDouble();
        }
        return r;
    }

    public static string Show(JsonElement v)
    {
        string s = v.GetRawText();
        return s.Length > 40 ? s[..40] + "…" : s;
    }

    public static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
