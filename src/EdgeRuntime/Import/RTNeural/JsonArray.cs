using System.Text.Json;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.RTNeural;

/// <summary>A rectangular nested JSON number array read into a flat row-major float array.</summary>
public sealed class JsonArray
{
    public JsonArray(int[] shape, float[] data) { Shape = shape; Data = data; }

    public int[] Shape { get; }
    public float[] Data { get; }
    public int Rank => Shape.Length;
    public string ShapeText => "[" + string.Join("][", Shape) + "]";

    public static JsonArray Read(JsonElement e, string where)
    {
        var shape = new List<int>();
        var probe = e;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            int n = probe.GetArrayLength();
            shape.Add(n);
            if (n == 0) break;
            probe = probe[0];
        }
        if (probe.ValueKind is not (JsonValueKind.Number or JsonValueKind.Array))
            throw new ModelException($"{where}: expected numbers, found {probe.ValueKind}");
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count > 1 << 28) throw new ModelException($"{where}: array too large ({count} values)");
        var data = new float[count];
        int pos = 0;
        void Walk(JsonElement x, int depth)
        {
            if (depth == shape.Count)
            {
                if (x.ValueKind != JsonValueKind.Number) throw new ModelException($"{where}: expected a number at depth {depth}, found {x.ValueKind}");
                data[pos++] = (float)x.GetDouble();
                return;
            }
            if (x.ValueKind != JsonValueKind.Array || x.GetArrayLength() != shape[depth])
                throw new ModelException($"{where}: ragged array (expected {shape[depth]} entries at depth {depth})");
            foreach (var c in x.EnumerateArray()) Walk(c, depth + 1);
        }
        Walk(e, 0);
        return new JsonArray(shape.ToArray(), data);
    }
}
