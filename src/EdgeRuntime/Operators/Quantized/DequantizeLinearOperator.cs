using System.Runtime.Intrinsics;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX DequantizeLinear: y = (x − x_zero_point) · x_scale in float32, per tensor or per
/// axis; x is uint8, int8 or int32.</summary>
public sealed class DequantizeLinearOperator : IOperator
{
    public string OpType => "DequantizeLinear";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        var s = graph[node.Inputs[1]];
        QuantElements.Require(graph, node, x, "input", DataType.UInt8, DataType.Int8, DataType.Int32);
        QuantElements.Require(graph, node, s, "scale", DataType.Float32);
        QuantizeLinearOperator.Axis(graph, node, x, s);
        if (node.HasInput(2))
        {
            var z = graph[node.Inputs[2]];
            QuantElements.Require(graph, node, z, "zero point", x.Type);
            if (z.ElementCount != s.ElementCount) throw QuantElements.Error(graph, node, $"zero point has {z.ElementCount} values, scale {s.ElementCount}");
        }
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])x.Shape.Clone());
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx, QuantizedKernels.ForceReference);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly byte* _x, _zp;
        private readonly float* _scale, _y;
        private readonly DataType _type;
        private readonly long _n, _inner;
        private readonly int _channels;
        private readonly bool _vector;

        public Kernel(Node node, KernelContext ctx, bool reference)
        {
            _x = ctx.InputPtr(0); _scale = ctx.InF(1); _zp = ctx.InputPtr(2); _y = ctx.OutF(0);
            _type = ctx.Input(0).Type;
            _n = ctx.Input(0).ElementCount;
            (_, _channels, _inner) = QuantizeLinearOperator.Axis(ctx.Graph, node, ctx.Input(0), ctx.Input(1));
            _vector = !reference && _channels == 1 && _type != DataType.Int32 && Vector128.IsHardwareAccelerated;
        }

        public override string KernelName => _vector ? "dequantizelinear.v128" : "dequantizelinear.ref";

        public override void Execute(int frames)
        {
            long i = 0;
            if (_vector) i = PerTensor();
            for (; i < _n; i++)
            {
                long c = _channels == 1 ? 0 : i / _inner % _channels;
                float zp = _zp != null ? QuantElements.Load(_zp, c, _type) : 0f;
                _y[i] = ((float)QuantElements.Load(_x, i, _type) - zp) * _scale[c];
            }
        }

        /// <summary>Per-tensor 8-bit input, 16 values per step: the scalar loop's float operations, lane by lane.</summary>
        private long PerTensor()
        {
            var s = Vector128.Create(_scale[0]);
            var zp = Vector128.Create(_zp != null ? (float)QuantElements.Load(_zp, 0, _type) : 0f);
            bool signed = _type == DataType.Int8;
            long i = 0;
            for (; i <= _n - 16; i += 16)
            {
                Vector128<int> a, b, c, d;
                if (signed)
                {
                    var (l, h) = Vector128.Widen(Vector128.Load((sbyte*)_x + i));
                    (a, b) = Vector128.Widen(l); (c, d) = Vector128.Widen(h);
                }
                else
                {
                    var (l, h) = Vector128.Widen(Vector128.Load(_x + i));
                    var (a0, b0) = Vector128.Widen(l); var (c0, d0) = Vector128.Widen(h);
                    (a, b, c, d) = (a0.AsInt32(), b0.AsInt32(), c0.AsInt32(), d0.AsInt32());
                }
                ((Vector128.ConvertToSingle(a) - zp) * s).Store(_y + i);
                ((Vector128.ConvertToSingle(b) - zp) * s).Store(_y + i + 4);
                ((Vector128.ConvertToSingle(c) - zp) * s).Store(_y + i + 8);
                ((Vector128.ConvertToSingle(d) - zp) * s).Store(_y + i + 12);
            }
            return i;
        }
    }
}
