using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Nn;

/// <summary>Validated pooling shapes: X [N, C, spatial...] with the window geometry.</summary>
internal sealed class PoolShape
{
    public required int Planes { get; init; }            // N × C
    public required int[] OutputShape { get; init; }
    public required SpatialGeometry Geometry { get; init; }
    public required DataType Type { get; init; }

    public static PoolShape Of(Graph graph, Node node, bool allowBytes)
    {
        var x = NnChecks.Input(graph, node, 0, "X");
        if (!(x.Type == DataType.Float32 || (allowBytes && x.Type is DataType.UInt8 or DataType.Int8)))
            throw NnChecks.Error(graph, node, $"input X '{x.Name}' is {x.Type.ShortName()}; supported: f32{(allowBytes ? ", u8, i8" : "")}");
        NnChecks.Rank(graph, node, x, "input X", 3, 2 + SpatialGeometry.Dims);
        var geo = SpatialGeometry.Forward(graph, node, x.Shape[2..], null, allowCeil: true);
        for (int d = 0; d < SpatialGeometry.Dims; d++)
            if (geo.PadBegin[d] >= (long)(geo.Kernel[d] - 1) * geo.Dilation[d] + 1 || geo.PadEnd[d] >= (long)(geo.Kernel[d] - 1) * geo.Dilation[d] + 1)
                throw NnChecks.Error(graph, node, $"pads must be smaller than the window (kernel_shape [{string.Join(",", geo.Kernel[(3 - geo.Rank)..])}])");
        var y = new int[x.Shape.Length];
        y[0] = x.Shape[0];
        y[1] = x.Shape[1];
        geo.OutputSpatial.CopyTo(y, 2);
        return new PoolShape { Planes = checked(x.Shape[0] * x.Shape[1]), OutputShape = y, Geometry = geo, Type = x.Type };
    }

    /// <summary>Kernel positions along one axis whose input index lies in [lo, hi), for the window
    /// that starts at <paramref name="start"/>: first k and count (dilated windows skip evenly).</summary>
    public static (int First, int Count) Span(int start, int kernel, int dilation, int lo, int hi)
    {
        int first = 0;
        if (start < lo) first = (lo - start + dilation - 1) / dilation;
        int last = kernel - 1;
        if (start + last * dilation >= hi) last = (hi - 1 - start) >= 0 ? (hi - 1 - start) / dilation : -1;
        return (first, Math.Max(0, last - first + 1));
    }
}
