using System.Runtime.Intrinsics;
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

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx, QuantizedKernels.ForceReference);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly float* _x, _scale;
        private readonly byte* _zp, _y;
        private readonly DataType _type;
        private readonly long _n, _inner;
        private readonly int _channels;
        private readonly bool _vector;

        public Kernel(Node node, KernelContext ctx, bool reference)
        {
            _x = ctx.InF(0); _scale = ctx.InF(1); _zp = ctx.InputPtr(2); _y = ctx.OutputPtr(0);
            _type = ctx.Output(0).Type;
            _n = ctx.Input(0).ElementCount;
            (_, _channels, _inner) = Axis(ctx.Graph, node, ctx.Input(0), ctx.Input(1));
            _vector = !reference && _channels == 1 && Vector128.IsHardwareAccelerated;
        }

        public override string KernelName => _vector ? "quantizelinear.v128" : "quantizelinear.ref";

        public override void Execute(int frames)
        {
            long i = 0;
            if (_vector) i = PerTensor();
            for (; i < _n; i++)
            {
                long c = _channels == 1 ? 0 : i / _inner % _channels;
                double q = Math.Round((double)(_x[i] / _scale[c]), MidpointRounding.ToEven);
                if (_zp != null) q += QuantElements.Load(_zp, c, _type);
                QuantElements.Store(_y, i, _type, q);
            }
        }

        /// <summary>Per-tensor scale, 16 values per step: x / scale in float32, round half to even (of a float,
        /// the same integer as of its double), + zero point, saturate — bit-exact with the scalar loop.</summary>
        private long PerTensor()
        {
            var (lo, hi) = QuantElements.Range(_type);
            var s = Vector128.Create(_scale[0]);
            var zp = Vector128.Create(_zp != null ? (float)QuantElements.Load(_zp, 0, _type) : 0f);
            var vlo = Vector128.Create((float)lo);
            var vhi = Vector128.Create((float)hi);
            long i = 0;
            for (; i <= _n - 16; i += 16)
            {
                var q0 = Q(Vector128.Load(_x + i), s, zp, vlo, vhi);
                var q1 = Q(Vector128.Load(_x + i + 4), s, zp, vlo, vhi);
                var q2 = Q(Vector128.Load(_x + i + 8), s, zp, vlo, vhi);
                var q3 = Q(Vector128.Load(_x + i + 12), s, zp, vlo, vhi);
                Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().Store(_y + i);
            }
            return i;
        }

        // NaN compares false in Max/Min on some targets: the scalar tail's saturation of NaN (to 0 + zp, as
        // (int)NaN) is not reproduced, so NaN inputs are defined only as "some value in range" on this path.
        private static Vector128<int> Q(Vector128<float> x, Vector128<float> s, Vector128<float> zp, Vector128<float> lo, Vector128<float> hi)
            => Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(Vector128.Round(x / s) + zp, lo), hi));
    }
}
