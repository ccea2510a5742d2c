using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Lut;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>edgert LookupTable: y = table[x] for uint8/int8 x, elementwise; the table (attribute <c>table</c>, 256
/// output values indexed by the input's byte, 0…255, i.e. int8 −1 is entry 255) and the output type (attribute
/// <c>to</c>, the ONNX type code of uint8 or int8). QDQ folding builds it for DequantizeLinear → unary activation
/// → QuantizeLinear by running that float path on all 256 inputs, so it is exact. Runs on the kernel library's
/// <see cref="Int8Lut"/> (TBL on NEON).</summary>
public sealed class LookupTableOperator : IOperator
{
    public const string Domain = "edgert";
    public string OpType => Domain + ":LookupTable";

    private static DataType OutputType(Graph g, Node n)
    {
        var t = (DataType)n.GetInt("to", (long)DataType.UInt8);
        if (t is not (DataType.UInt8 or DataType.Int8)) throw QuantElements.Error(g, n, $"output type {t} is not uint8 or int8");
        return t;
    }

    private static long[] Table(Graph g, Node n)
    {
        var table = n.GetInts("table") ?? throw QuantElements.Error(g, n, "attribute 'table' is missing");
        if (table.Length != 256) throw QuantElements.Error(g, n, $"table has {table.Length} entries, expected 256");
        var (lo, hi) = QuantElements.Range(OutputType(g, n));
        if (table.Any(v => v < lo || v > hi)) throw QuantElements.Error(g, n, $"table values must lie in [{lo}, {hi}]");
        return table;
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        QuantElements.Require(graph, node, x, "X", DataType.UInt8, DataType.Int8);
        Table(graph, node);
        ShapeInference.SetOutput(graph, node, 0, OutputType(graph, node), (int[])x.Shape.Clone());
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var table = Table(ctx.Graph, node);
        // Int8Lut indexes by the byte read as int8, + 128.
        var lut = GC.AllocateArray<sbyte>(256, pinned: true);
        for (int b = 0; b < 256; b++) lut[(sbyte)(byte)b + 128] = (sbyte)(byte)table[b];
        return new Kernel(ctx.InputPtr(0), ctx.OutputPtr(0), checked((int)ctx.Input(0).ElementCount), lut);
    }

    private sealed unsafe class Kernel(byte* x, byte* y, int n, sbyte[] table) : OpKernel
    {
        public override string KernelName => "lookuptable.i8";

        public override void Execute(int frames) =>
            Int8Lut.Apply(new ReadOnlySpan<sbyte>(x, n), new Span<sbyte>(y, n), table);
    }

    /// <summary>A LookupTable node.</summary>
    public static Node Create(string name, string input, string output, DataType to, ReadOnlySpan<byte> table)
    {
        var values = new long[256];
        for (int i = 0; i < 256; i++) values[i] = to == DataType.Int8 ? (sbyte)table[i] : table[i];
        return new Node("LookupTable", name, [input], [output], Domain)
            .Set("to", Ir.Attribute.Of((long)to))
            .Set("table", Ir.Attribute.Of(values));
    }
}
