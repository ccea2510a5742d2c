using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite SOFTMAX over the last axis. int8: TFLite's float lookup table
/// (table[255−d] = expf(−input_scale·beta·d)), float32 sum, round(p/output_scale) + zero point.
/// float32: exp((x−max)·beta) / Σ.</summary>
public sealed class SoftmaxOperator : IOperator
{
    public string OpType => "tflite:SOFTMAX";

    public void InferShapes(Node node, Graph graph)
    {
        var x = TfliteOp.In(graph, node, 0, "input");
        TfliteOp.CheckType(graph, node, x, "input", DataType.Int8, DataType.Float32);
        if (x.Shape.Length == 0) throw TfliteOp.Error(graph, node, "input must have at least one dimension");
        var y = ShapeInference.SetOutput(graph, node, 0, x.Type, (int[])x.Shape.Clone());
        if (x.Type == DataType.Int8)
        {
            TfliteOp.PerTensor(graph, node, x, "input");
            TfliteOp.PerTensor(graph, node, y, "output");
        }
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly byte* _x, _y;
        private readonly int _rows, _cols, _outZp;
        private readonly bool _int8;
        private readonly float _beta, _outScale;
        private readonly float* _table;
        private readonly PinnedBuffers _keep = new();

        public Kernel(Node node, KernelContext ctx)
        {
            var x = ctx.Input(0);
            _x = ctx.InputPtr(0); _y = ctx.OutputPtr(0);
            _cols = x.Shape[^1];
            _rows = _cols == 0 ? 0 : (int)(x.ElementCount / _cols);
            _int8 = x.Type == DataType.Int8;
            _beta = node.GetFloat("beta", 1f);
            _table = _keep.Floats(256);
            if (_int8)
            {
                var (inScale, _) = TfliteOp.PerTensor(ctx.Graph, node, x, "input");
                (_outScale, _outZp) = TfliteOp.PerTensor(ctx.Graph, node, ctx.Output(0), "output");
                float scale = -inScale * _beta;
                for (int v = 0; v <= 255; v++) _table[255 - v] = (float)Math.Exp((double)(scale * v));
            }
        }

        public override string KernelName => _int8 ? "softmax.i8.lut" : "softmax.f32.ref";

        public override void Execute(int frames)
        {
            for (int r = 0; r < _rows; r++)
            {
                if (_int8)
                {
                    sbyte* x = (sbyte*)_x + (long)r * _cols;
                    sbyte* y = (sbyte*)_y + (long)r * _cols;
                    int max = -128;
                    for (int j = 0; j < _cols; j++) max = Math.Max(max, x[j]);
                    float* t = _table + 255 - max;
                    float sum = 0;
                    for (int j = 0; j < _cols; j++) sum += t[x[j]];
                    float inv = 1.0f / (sum * _outScale);
                    for (int j = 0; j < _cols; j++)
                    {
                        int q = (int)MathF.Round(t[x[j]] * inv, MidpointRounding.AwayFromZero) + _outZp;
                        y[j] = (sbyte)Math.Clamp(q, -128, 127);
                    }
                }
                else
                {
                    float* x = (float*)_x + (long)r * _cols;
                    float* y = (float*)_y + (long)r * _cols;
                    float max = float.NegativeInfinity;
                    for (int j = 0; j < _cols; j++) max = Math.Max(max, x[j]);
                    float sum = 0;
                    for (int j = 0; j < _cols; j++) { y[j] = MathF.Exp((x[j] - max) * _beta); sum += y[j]; }
                    float inv = 1f / sum;
                    for (int j = 0; j < _cols; j++) y[j] *= inv;
                }
            }
        }
    }
}
