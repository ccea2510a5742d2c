using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Element types the generic numeric kernels are instantiated for, and the streaming
/// frame arithmetic shared by element-wise kernels.</summary>
public static class ElementTypes
{
    public static bool IsNumeric(DataType t) => t is DataType.Float32 or DataType.Float64 or DataType.Int8 or DataType.UInt8
        or DataType.Int16 or DataType.UInt16 or DataType.Int32 or DataType.UInt32 or DataType.Int64 or DataType.UInt64;

    /// <summary>An <see cref="UnsupportedFeatureException"/> (a <see cref="ModelException"/>): the model is
    /// valid but this runtime has no kernel for the type; conformance reports the case as skipped.</summary>
    public static ModelException Unsupported(Graph graph, Node node, DataType t, string what = "input") =>
        new UnsupportedFeatureException($"{graph.Source}: {node.Describe()}: element type {t.ShortName()} of the {what} is not supported by this operator");

    /// <summary>Elements per frame along axis 0 for streaming graphs (0 when not streaming).</summary>
    public static long PerFrame(Graph graph, Tensor output) =>
        graph.Streaming && output.Shape.Length > 0 && output.Shape[0] > 0 ? output.ElementCount / output.Shape[0] : 0;
}
