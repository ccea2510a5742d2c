using System.Text.Json;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Streaming;

namespace EdgeRuntime.Import.Nam;

/// <summary>A .nam activation: a name (string form, default parameters) or {"type": name, params}.
/// Parameters are flattened to the <c>activation_params</c> convention of <see cref="ActivationFunction"/>.</summary>
internal sealed record NamActivation(string Name, float[] Params)
{
    public static readonly NamActivation None = new("", []);

    public static NamActivation Parse(JsonElement? v, string where)
    {
        if (v is not { } e || e.ValueKind == JsonValueKind.Null) return None;
        string name;
        float[] p;
        if (e.ValueKind == JsonValueKind.String)
        {
            name = e.GetString()!;
            p = Defaults(name);
        }
        else if (e.ValueKind == JsonValueKind.Object)
        {
            name = NamJson.Str(e, "type", where);
            p = name.ToLowerInvariant() switch
            {
                "leakyrelu" => [(float)NamJson.Num(e, "negative_slope", where, 0.01)],
                "prelu" => NamJson.Opt(e, "negative_slopes") is { } s ? NamJson.Floats(s, where + ".negative_slopes")
                    : [(float)NamJson.Num(e, "negative_slope", where, 0.01)],
                "leakyhardtanh" =>
                [
                    (float)NamJson.Num(e, "min_val", where, -1), (float)NamJson.Num(e, "max_val", where, 1),
                    (float)NamJson.Num(e, "min_slope", where, 0.01), (float)NamJson.Num(e, "max_slope", where, 0.01),
                ],
                _ => Defaults(name),
            };
            if (name.Equals("prelu", StringComparison.OrdinalIgnoreCase) && p.Length == 0)
                throw new ModelException($"{where}: PReLU with an empty negative_slopes list");
        }
        else throw new ModelException($"{where}: an activation must be a name or an object, got {NamJson.Show(e)}");
        ActivationFunction.Create(name, p, where); // validates the name now, naming the layer
        return new NamActivation(name, p);
    }

    private static float[] Defaults(string name) => name.ToLowerInvariant() switch
    {
        "leakyrelu" or "prelu" => [0.01f],
        "leakyhardtanh" => [-1f, 1f, 0.01f, 0.01f],
        _ => [],
    };

    /// <summary>An activation per layer: one value for all, or an array of exactly <paramref name="layers"/>.</summary>
    public static NamActivation[] PerLayer(JsonElement? v, int layers, string where, NamActivation? absent = null)
    {
        if (v is { ValueKind: JsonValueKind.Array } arr)
        {
            if (arr.GetArrayLength() != layers)
                throw new ModelException($"{where}: has {arr.GetArrayLength()} entries for {layers} layers");
            return arr.EnumerateArray().Select((e, i) => Parse(e, $"{where}[{i}]")).ToArray();
        }
        var one = v is null ? absent ?? None : Parse(v, where);
        return Enumerable.Repeat(one, layers).ToArray();
    }
}
