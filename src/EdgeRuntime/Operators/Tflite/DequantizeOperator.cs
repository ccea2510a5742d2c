using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite DEQUANTIZE int8/uint8 → float32: (q − zero_point) · scale in float32. Per-channel
/// parameters (on the tensor's quantized dimension) are honoured.</summary>
public sealed class DequantizeOperator : IOperator
{
    public string OpType => "tflite:DEQUANTIZE";

    public void InferShapes(Node node, Graph graph)
    {
        var x = TfliteOp.In(graph, node, 0, "input");
        TfliteOp.CheckType(graph, node, x, "input", DataType.Int8, DataType.UInt8);
        if (x.Quant is null) throw TfliteOp.Error(graph, node, $"input '{x.Name}' has no quantization parameters");
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])x.Shape.Clone());
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly byte* _x;
        private readonly float* _y;
        private readonly long _n, _inner;
        private readonly int _channels;
        private readonly bool _signed;
        private readonly float* _scale;
        private readonly int* _zp;
        private readonly PinnedBuffers _keep = new();

        public Kernel(KernelContext ctx)
        {
            var x = ctx.Input(0);
            var q = x.Quant!;
            _x = ctx.InputPtr(0); _y = ctx.OutF(0);
            _n = x.ElementCount;
            _signed = x.Type == DataType.Int8;
            _channels = q.Scales.Length;
            _inner = 1;
            if (_channels > 1) for (int d = q.Axis + 1; d < x.Shape.Length; d++) _inner *= x.Shape[d];
            _scale = _keep.Floats(_channels);
            _zp = _keep.Ints(_channels);
            for (int c = 0; c < _channels; c++) { _scale[c] = q.Scales[c]; _zp[c] = (int)q.ZeroPoints[c]; }
        }

        public override string KernelName => "dequantize.f32";

        public override void Execute(int frames)
        {
            for (long i = 0; i < _n; i++)
            {
                int c = _channels == 1 ? 0 : (int)(i / _inner % _channels);
                int v = _signed ? (sbyte)_x[i] : _x[i];
                _y[i] = (v - _zp[c]) * _scale[c];
            }
        }
    }
}
