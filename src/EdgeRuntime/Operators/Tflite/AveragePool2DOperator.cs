using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite AVERAGE_POOL_2D (NHWC). int8: rounded integer mean over the valid window
/// (half away from zero), output in the input's quantization. float32: sum / count.</summary>
public sealed class AveragePool2DOperator : IOperator
{
    public string OpType => "tflite:AVERAGE_POOL_2D";

    private readonly record struct Geo(int N, int H, int W, int C, int FH, int FW, int SH, int SW, int OH, int OW, int PadH, int PadW);

    private static Geo Geometry(Node node, Graph g)
    {
        var x = TfliteOp.In(g, node, 0, "input");
        TfliteOp.Rank(g, node, x, 4, "input");
        int sh = TfliteOp.Stride(g, node, "stride_h"), sw = TfliteOp.Stride(g, node, "stride_w");
        int fh = (int)node.GetInt("filter_h", 0), fw = (int)node.GetInt("filter_w", 0);
        var (oh, ph) = TfliteOp.Geometry(g, node, x.Shape[1], fh, sh, 1);
        var (ow, pw) = TfliteOp.Geometry(g, node, x.Shape[2], fw, sw, 1);
        return new Geo(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], fh, fw, sh, sw, oh, ow, ph, pw);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var geo = Geometry(node, graph);
        var x = graph[node.Inputs[0]];
        TfliteOp.CheckType(graph, node, x, "input", DataType.Int8, DataType.Float32);
        TfliteOp.Activation(graph, node);
        var y = ShapeInference.SetOutput(graph, node, 0, x.Type, [geo.N, geo.OH, geo.OW, geo.C]);
        if (x.Type == DataType.Int8)
        {
            var qi = TfliteOp.PerTensor(graph, node, x, "input");
            if (y.Quant is null) y.Quant = x.Quant;
            var qo = TfliteOp.PerTensor(graph, node, y, "output");
            if (qi != qo) throw TfliteOp.Error(graph, node, $"int8 average pool needs equal input and output quantization ({qi} vs {qo})");
        }
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx, Geometry(node, ctx.Graph));

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly Geo _g;
        private readonly byte* _x, _y;
        private readonly bool _int8;
        private readonly int _min, _max;
        private readonly float _fmin, _fmax;

        public Kernel(Node node, KernelContext ctx, Geo geo)
        {
            _g = geo;
            _x = ctx.InputPtr(0); _y = ctx.OutputPtr(0);
            _int8 = ctx.Input(0).Type == DataType.Int8;
            string act = TfliteOp.Activation(ctx.Graph, node);
            if (_int8)
            {
                var (s, zp) = TfliteOp.PerTensor(ctx.Graph, node, ctx.Output(0), "output");
                (_min, _max) = FixedPoint.ActivationRange(act, s, zp);
            }
            (_fmin, _fmax) = FixedPoint.ActivationRange(act);
        }

        public override string KernelName => _int8 ? "avgpool.i8.ref" : "avgpool.f32.ref";

        public override void Execute(int frames)
        {
            var g = _g;
            for (int b = 0; b < g.N; b++)
                for (int oy = 0; oy < g.OH; oy++)
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        int y0 = Math.Max(oy * g.SH - g.PadH, 0), y1 = Math.Min(oy * g.SH - g.PadH + g.FH, g.H);
                        int x0 = Math.Max(ox * g.SW - g.PadW, 0), x1 = Math.Min(ox * g.SW - g.PadW + g.FW, g.W);
                        int count = (y1 - y0) * (x1 - x0);
                        long outBase = (((long)b * g.OH + oy) * g.OW + ox) * g.C;
                        for (int c = 0; c < g.C; c++)
                        {
                            if (_int8)
                            {
                                sbyte* x = (sbyte*)_x;
                                int acc = 0;
                                for (int iy = y0; iy < y1; iy++)
                                    for (int ix = x0; ix < x1; ix++) acc += x[(((long)b * g.H + iy) * g.W + ix) * g.C + c];
                                int v = count == 0 ? 0 : acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                                ((sbyte*)_y)[outBase + c] = (sbyte)Math.Clamp(v, _min, _max);
                            }
                            else
                            {
                                float* x = (float*)_x;
                                float acc = 0;
                                for (int iy = y0; iy < y1; iy++)
                                    for (int ix = x0; ix < x1; ix++) acc += x[(((long)b * g.H + iy) * g.W + ix) * g.C + c];
                                ((float*)_y)[outBase + c] = Math.Clamp(count == 0 ? 0 : acc / count, _fmin, _fmax);
                            }
                        }
                    }
        }
    }
}
