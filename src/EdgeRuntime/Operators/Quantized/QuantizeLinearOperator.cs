using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX QuantizeLinear: y = saturate(round_half_even(x / y_scale) + y_zero_point), per
/// tensor or per axis; output type of the zero point (uint8 when absent). Scale and zero point are
/// read at run time (they may be graph inputs).</summary>
public sealed class QuantizeLinearOperator : IOperator
{
    public string OpType => "QuantizeLinear";

    internal static (int Axis, int Channels, long Inner) Axis(Graph g, Node n, Tensor x, Tensor scale)
    {
        if (scale.ElementCount == 1) return (0, 1, 1);
        int axis = (int)n.GetInt("axis", 1);
        if (axis < 0) axis += x.Shape.Length;
        if (axis < 0 || axis >= x.Shape.Length) throw QuantElements.Error(g, n, $"axis {n.GetInt("axis", 1)} is out of range for rank {x.Shape.Length}");
        int channels = x.Shape[axis];
        QuantElements.ParamCount(g, n, scale, "scale", channels);
        long inner = 1;
        for (int d = axis + 1; d < x.Shape.Length; d++) inner *= x.Shape[d];
        return (axis, channels, inner);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        var s = graph[node.Inputs[1]];
        QuantElements.Require(graph, node, x, "input", DataType.Float32);
        QuantElements.Require(graph, node, s, "scale", DataType.Float32);
        var (_, channels, _) = Axis(graph, node, x, s);
        var type = DataType.UInt8;
        if (node.HasInput(2))
        {
            var z = graph[node.Inputs[2]];
            QuantElements.Require(graph, node, z, "zero point", DataType.UInt8, DataType.Int8);
            if (z.ElementCount != s.ElementCount) throw QuantElements.Error(graph, node, $"zero point has {z.ElementCount} values, scale {s.ElementCount}");
            type = z.Type;
        }
        _ = channels;
        ShapeInference.SetOutput(graph, node, 0, type, (int[])x.Shape.Clone());
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly float* _x, _scale;
        private readonly byte* _zp, _y;
        private readonly DataType _type;
        private readonly long _n, _inner;
        private readonly int _channels;

        public Kernel(Node node, KernelContext ctx)
        {
            _x = ctx.InF(0); _scale = ctx.InF(1); _zp = ctx.InputPtr(2); _y = ctx.OutputPtr(0);
            _type = ctx.Output(0).Type;
            _n = ctx.Input(0).ElementCount;
            (_, _channels, _inner) = Axis(ctx.Graph, node, ctx.Input(0), ctx.Input(1));
        }

        public override string KernelName => "quantizelinear.ref";

        public override void Execute(int frames)
        {
            for (long i = 0; i < _n; i++)
            {
                long c = _channels == 1 ? 0 : i / _inner % _channels;
                double q = Math.Round((double)(_x[i] / _scale[c]), MidpointRounding.ToEven);
                if (_zp != null) q += QuantElements.Load(_zp, c, _type);
                QuantElements.Store(_y, i, _type, q);
            }
        }
    }
}
