using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite QUANTIZE float32 → int8/uint8: q = round(x / scale) + zero_point in float32
/// (half away from zero), saturated.</summary>
public sealed class QuantizeOperator : IOperator
{
    public string OpType => "tflite:QUANTIZE";

    public void InferShapes(Node node, Graph graph)
    {
        var x = TfliteOp.In(graph, node, 0, "input");
        TfliteOp.CheckType(graph, node, x, "input", DataType.Float32);
        if (!graph.TryGet(node.Outputs[0], out var declared) || declared.Type is not (DataType.Int8 or DataType.UInt8))
            throw TfliteOp.Error(graph, node, "output must be declared int8 or uint8");
        var y = ShapeInference.SetOutput(graph, node, 0, declared.Type, (int[])x.Shape.Clone());
        TfliteOp.PerTensor(graph, node, y, "output");
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly float* _x;
        private readonly byte* _y;
        private readonly long _n;
        private readonly float _scale;
        private readonly int _zp, _min, _max;

        public Kernel(Node node, KernelContext ctx)
        {
            _x = ctx.InF(0); _y = ctx.OutputPtr(0);
            _n = ctx.Output(0).ElementCount;
            (_scale, _zp) = TfliteOp.PerTensor(ctx.Graph, node, ctx.Output(0), "output");
            (_min, _max) = ctx.Output(0).Type == DataType.Int8 ? (-128, 127) : (0, 255);
        }

        public override string KernelName => "quantize.f32";

        public override void Execute(int frames)
        {
            for (long i = 0; i < _n; i++)
            {
                float r = MathF.Round(_x[i] / _scale, MidpointRounding.AwayFromZero);
                int q = (r >= int.MaxValue ? int.MaxValue : r <= int.MinValue ? int.MinValue : (int)r) + _zp;
                _y[i] = (byte)Math.Clamp(q, _min, _max);
            }
        }
    }
}
