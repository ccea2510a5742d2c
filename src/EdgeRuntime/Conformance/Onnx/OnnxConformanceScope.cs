namespace EdgeRuntime.Conformance.Onnx;

/// <summary>Which ONNX backend node tests the <c>onnx</c> conformance suite counts, and which node
/// inputs it binds to the test's data at compile time. The one place to extend: other areas add
/// their operators in their own partial <see cref="ExtendScope"/> implementation (e.g. the quantized
/// operators QuantizeLinear, DequantizeLinear, QLinearConv, QLinearMatMul, MatMulInteger, ConvInteger,
/// DynamicQuantizeLinear) and their shape-like inputs in <see cref="ExtendShapeInputs"/>.</summary>
public static partial class OnnxConformanceScope
{
    /// <summary>The fp32 operator list of issue 2 (default domain).</summary>
    public static readonly IReadOnlyList<string> Fp32Operators =
    [
        "Gemm", "MatMul", "Conv", "GRU", "LSTM", "RNN", "BatchNormalization",
        "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Tanh", "Sigmoid", "HardSigmoid", "HardSwish",
        "Softmax", "LogSoftmax", "Clip", "Erf", "Gelu", "Add", "Sub", "Mul", "Div",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Transpose", "Pad", "Slice", "Split",
        "Gather", "Identity", "Constant", "Shape", "Cast", "ReduceMean", "ConvTranspose",
        "Sqrt", "Pow", "Exp", "Log", "Abs", "Neg", "Max", "Min", "Where",
    ];

    /// <summary>Operators whose every node test is counted: <see cref="Fp32Operators"/> plus extensions.</summary>
    public static IReadOnlySet<string> Operators { get; } = BuildOperators();

    /// <summary>Inputs (by op type, input index) that determine output shapes. When such an input
    /// arrives as a graph input in a node test, the suite binds it with the test's data
    /// (<c>CompileOptions.FixedInputs</c>). Data inputs (weights, Clip min/max, Gather indices) are
    /// never listed: operators must work with them at run time.</summary>
    public static IReadOnlyDictionary<string, int[]> ShapeInputs { get; } = BuildShapeInputs();

    static partial void ExtendScope(HashSet<string> operators);
    static partial void ExtendShapeInputs(Dictionary<string, int[]> shapeInputs);

    public static bool IsShapeInput(string opType, int inputIndex) =>
        ShapeInputs.TryGetValue(opType, out var idx) && Array.IndexOf(idx, inputIndex) >= 0;

    private static HashSet<string> BuildOperators()
    {
        var s = new HashSet<string>(Fp32Operators, StringComparer.Ordinal);
        ExtendScope(s);
        return s;
    }

    private static Dictionary<string, int[]> BuildShapeInputs()
    {
        var d = new Dictionary<string, int[]>(StringComparer.Ordinal)
        {
            ["Reshape"] = [1],             // shape
            ["Slice"] = [1, 2, 3, 4],      // starts, ends, axes, steps (opset 10+)
            ["Pad"] = [1, 3],              // pads, axes (opset 11+ / 18+)
            ["Split"] = [1],               // split (opset 13+)
            ["Squeeze"] = [1],             // axes (opset 13+)
            ["Unsqueeze"] = [1],           // axes (opset 13+)
            ["ReduceMean"] = [1],          // axes (opset 18+)
            ["Expand"] = [1],              // shape
            ["Tile"] = [1],                // repeats
            ["ConstantOfShape"] = [0],     // shape
            ["Resize"] = [1, 2, 3],        // roi, scales, sizes
            ["Upsample"] = [1],            // scales
            ["TopK"] = [1],                // k
            ["OneHot"] = [1],              // depth
            ["Range"] = [0, 1, 2],         // start, limit, delta
        };
        ExtendShapeInputs(d);
        return d;
    }
}
