using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Nn;

/// <summary>GlobalAveragePool / GlobalMaxPool shapes: X [N, C, spatial...] → [N, C, 1...].</summary>
internal static class GlobalPoolShape
{
    public static (int Planes, int PlaneSize, int[] Output) Of(Graph graph, Node node)
    {
        var x = NnChecks.Float(graph, node, 0, "X");
        NnChecks.Rank(graph, node, x, "input X", 2, 8);
        var y = new int[x.Shape.Length];
        y[0] = x.Shape[0];
        y[1] = x.Shape[1];
        for (int i = 2; i < y.Length; i++) y[i] = 1;
        long plane = 1;
        for (int i = 2; i < x.Shape.Length; i++) plane *= x.Shape[i];
        if (plane == 0) throw NnChecks.Error(graph, node, $"input X '{x.Name}' {NnChecks.Dims(x.Shape)} has an empty spatial extent");
        return (checked(x.Shape[0] * x.Shape[1]), checked((int)plane), y);
    }
}
