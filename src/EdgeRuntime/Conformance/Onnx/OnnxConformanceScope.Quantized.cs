namespace EdgeRuntime.Conformance.Onnx;

public static partial class OnnxConformanceScope
{
    /// <summary>The ONNX quantized operators (issue 4) join the counted node tests.</summary>
    static partial void ExtendScope(HashSet<string> operators)
    {
        string[] quantized =
        [
            "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "QLinearConv", "QLinearMatMul", "MatMulInteger", "ConvInteger",
        ];
        foreach (var op in quantized) operators.Add(op);
    }
}
