using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Conv;
using EdgeRuntime.Kernels.Requant;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite DEPTHWISE_CONV_2D (NHWC input, [1,KH,KW,IC·multiplier] filter). int8: per-channel
/// weights, int32 bias, double-rounding requantization (TFLite's depthwise kernels), on the kernel library
/// (DepthwiseConvInt8 + Requantize); a depth multiplier above 1 first repeats each input channel multiplier
/// times (scratch: one batch of H·W·IC·multiplier bytes), which makes it a multiplier-1 depthwise convolution
/// with the same filter. The general scalar loop stays as the reference. Taps outside the input are skipped
/// (equivalent to padding with the input zero point).</summary>
public sealed class DepthwiseConv2DOperator : IOperator
{
    public string OpType => "tflite:DEPTHWISE_CONV_2D";

    internal readonly record struct Geo(int N, int H, int W, int IC, int M, int KH, int KW, int SH, int SW, int DH, int DW,
        int OH, int OW, int PadH, int PadW)
    {
        public int OC => IC * M;
    }

    private static Geo Geometry(Node node, Graph g)
    {
        var x = TfliteOp.In(g, node, 0, "input");
        var w = TfliteOp.In(g, node, 1, "filter");
        TfliteOp.Rank(g, node, x, 4, "input");
        TfliteOp.Rank(g, node, w, 4, "filter");
        int ic = x.Shape[3], oc = w.Shape[3];
        if (w.Shape[0] != 1 || ic == 0 || oc % ic != 0)
            throw TfliteOp.Error(g, node, $"filter '{w.Name}' [{string.Join(",", w.Shape)}] does not fit {ic} input channels");
        int m = oc / ic;
        long dm = node.GetInt("depth_multiplier", m);
        if (dm != m && dm != 0) throw TfliteOp.Error(g, node, $"depth_multiplier {dm} does not match filter channels {oc} / input channels {ic}");
        int sh = TfliteOp.Stride(g, node, "stride_h"), sw = TfliteOp.Stride(g, node, "stride_w");
        int dh = TfliteOp.Stride(g, node, "dilation_h"), dw = TfliteOp.Stride(g, node, "dilation_w");
        var (oh, ph) = TfliteOp.Geometry(g, node, x.Shape[1], w.Shape[1], sh, dh);
        var (ow, pw) = TfliteOp.Geometry(g, node, x.Shape[2], w.Shape[2], sw, dw);
        return new Geo(x.Shape[0], x.Shape[1], x.Shape[2], ic, m, w.Shape[1], w.Shape[2], sh, sw, dh, dw, oh, ow, ph, pw);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var geo = Geometry(node, graph);
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        TfliteOp.RequireConstant(graph, node, w, "filter");
        TfliteOp.Activation(graph, node);
        TfliteOp.CheckType(graph, node, x, "input", DataType.Int8, DataType.Float32);
        TfliteOp.CheckType(graph, node, w, "filter", x.Type);
        if (x.Type == DataType.Int8)
        {
            TfliteOp.PerTensor(graph, node, x, "input");
            TfliteOp.ChannelScales(graph, node, w, geo.OC, 3);
        }
        if (node.HasInput(2))
        {
            var b = graph[node.Inputs[2]];
            TfliteOp.RequireConstant(graph, node, b, "bias");
            TfliteOp.CheckType(graph, node, b, "bias", x.Type == DataType.Int8 ? DataType.Int32 : DataType.Float32);
            if (b.ElementCount != geo.OC) throw TfliteOp.Error(graph, node, $"bias '{b.Name}' has {b.ElementCount} elements, expected {geo.OC}");
        }
        var y = ShapeInference.SetOutput(graph, node, 0, x.Type, [geo.N, geo.OH, geo.OW, geo.OC]);
        if (x.Type == DataType.Int8) TfliteOp.PerTensor(graph, node, y, "output");
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var geo = Geometry(node, graph);
        return graph[node.Inputs[0]].Type == DataType.Int8 && geo.M > 1 ? new MemoryNeeds((long)geo.H * geo.W * geo.OC, 0) : default;
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var geo = Geometry(node, ctx.Graph);
        return ctx.Input(0).Type == DataType.Int8 ? new Int8Kernel(node, ctx, geo) : new FloatKernel(node, ctx, geo);
    }

    private sealed unsafe class Int8Kernel : OpKernel
    {
        private readonly Geo _g;
        private readonly sbyte* _x, _w, _y;
        private readonly int* _bias, _mult, _shift, _acc;
        private readonly int _inOffset, _outZp, _min, _max;
        private readonly bool _lib;   // kernel library (DepthwiseConvInt8 + Requantize); false: the scalar reference
        private readonly sbyte* _expanded;
        private readonly PinnedBuffers _keep = new();

        /// <summary>One output row at a time on the kernel library's DepthwiseConvInt8 (acc = bias + Σ (x + input
        /// offset)·w, filter [KH, KW, C]; the row is selected by shifting padTop), then its double-rounding
        /// per-channel requantization (TFLite reference_integer_ops). Multiplier m &gt; 1: input channel c repeated as
        /// channels c·m … c·m + m − 1 first (the filter's channel order), so every output channel reads its own copy.</summary>
        private void ExecuteLibrary()
        {
            var g = _g;
            int oc = g.OC, m = g.M;
            long plane = (long)g.H * g.W * g.IC;
            sbyte* y = _y;
            for (int b = 0; b < g.N; b++)
            {
                sbyte* x = _x + b * plane;
                if (m > 1)
                {
                    sbyte* e = _expanded;
                    for (long i = 0; i < plane; i++)
                    {
                        sbyte v = x[i];
                        for (int j = 0; j < m; j++) *e++ = v;
                    }
                    x = _expanded;
                }
                for (int oy = 0; oy < g.OH; oy++)
                {
                    DepthwiseConvInt8.Run(1, g.H, g.W, oc, x, _inOffset, g.KH, g.KW, _w, _bias,
                        g.SH, g.SW, g.DH, g.DW, g.PadH - oy * g.SH, g.PadW, 1, g.OW, _acc);
                    Requantize.Run(g.OW, oc, _acc, y, _mult, _shift, _outZp, _min, _max, RoundingMode.Double);
                    y += (long)g.OW * oc;
                }
            }
        }

        public Int8Kernel(Node node, KernelContext ctx, Geo geo)
        {
            var gr = ctx.Graph;
            _g = geo;
            _x = (sbyte*)ctx.InputPtr(0); _w = (sbyte*)ctx.InputPtr(1); _y = (sbyte*)ctx.OutputPtr(0);
            var (inScale, inZp) = TfliteOp.PerTensor(gr, node, ctx.Input(0), "input");
            var (outScale, outZp) = TfliteOp.PerTensor(gr, node, ctx.Output(0), "output");
            var wScales = TfliteOp.ChannelScales(gr, node, ctx.Input(1), geo.OC, 3);
            _inOffset = -inZp; _outZp = outZp;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(gr, node), outScale, outZp);
            var bias = ctx.HasInput(2) ? ctx.Input(2).ConstantInt32s : default;
            TfliteOp.CheckRequant(gr, node, _min, _max);
            _lib = !Quantized.QuantizedKernels.ForceReference;
            _expanded = (sbyte*)ctx.Scratch;
            _bias = _keep.Ints(geo.OC); _mult = _keep.Ints(geo.OC); _shift = _keep.Ints(geo.OC);
            _acc = _keep.Ints(_lib ? checked(geo.OW * geo.OC) : geo.OC);
            for (int c = 0; c < geo.OC; c++)
            {
                _bias[c] = bias.IsEmpty ? 0 : bias[c];
                (_mult[c], _shift[c]) = FixedPoint.QuantizeMultiplier((double)inScale * wScales[c] / outScale);
            }
        }

        public override string KernelName => _lib ? (_g.M > 1 ? "dwconv2d.i8.kernels.expand" : "dwconv2d.i8.kernels") : "dwconv2d.i8.ref";

        public override void Execute(int frames)
        {
            if (_lib) { ExecuteLibrary(); return; }
            var g = _g;
            int oc = g.OC, m = g.M;
            sbyte* y = _y;
            for (int b = 0; b < g.N; b++)
                for (int oy = 0; oy < g.OH; oy++)
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        for (int c = 0; c < oc; c++) _acc[c] = _bias[c];
                        int iy0 = oy * g.SH - g.PadH, ix0 = ox * g.SW - g.PadW;
                        for (int ky = 0; ky < g.KH; ky++)
                        {
                            int iy = iy0 + ky * g.DH;
                            if ((uint)iy >= (uint)g.H) continue;
                            for (int kx = 0; kx < g.KW; kx++)
                            {
                                int ix = ix0 + kx * g.DW;
                                if ((uint)ix >= (uint)g.W) continue;
                                sbyte* xp = _x + (((long)b * g.H + iy) * g.W + ix) * g.IC;
                                sbyte* wp = _w + ((long)ky * g.KW + kx) * oc;
                                for (int ic = 0; ic < g.IC; ic++)
                                {
                                    int xv = xp[ic] + _inOffset;
                                    for (int j = 0; j < m; j++) _acc[ic * m + j] += xv * wp[ic * m + j];
                                }
                            }
                        }
                        for (int c = 0; c < oc; c++)
                        {
                            int v = FixedPoint.MultiplyDoubleRounding(_acc[c], _mult[c], _shift[c]) + _outZp;
                            y[c] = (sbyte)Math.Clamp(v, _min, _max);
                        }
                        y += oc;
                    }
        }
    }

    private sealed unsafe class FloatKernel : OpKernel
    {
        private readonly Geo _g;
        private readonly float* _x, _w, _y, _bias;
        private readonly float _min, _max;

        public FloatKernel(Node node, KernelContext ctx, Geo geo)
        {
            _g = geo;
            _x = ctx.InF(0); _w = ctx.InF(1); _y = ctx.OutF(0);
            _bias = ctx.HasInput(2) ? ctx.InF(2) : null;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(ctx.Graph, node));
        }

        public override string KernelName => "dwconv2d.f32.ref";

        public override void Execute(int frames)
        {
            var g = _g;
            int oc = g.OC, m = g.M;
            float* y = _y;
            for (int b = 0; b < g.N; b++)
                for (int oy = 0; oy < g.OH; oy++)
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        for (int c = 0; c < oc; c++) y[c] = _bias != null ? _bias[c] : 0f;
                        int iy0 = oy * g.SH - g.PadH, ix0 = ox * g.SW - g.PadW;
                        for (int ky = 0; ky < g.KH; ky++)
                        {
                            int iy = iy0 + ky * g.DH;
                            if ((uint)iy >= (uint)g.H) continue;
                            for (int kx = 0; kx < g.KW; kx++)
                            {
                                int ix = ix0 + kx * g.DW;
                                if ((uint)ix >= (uint)g.W) continue;
                                float* xp = _x + (((long)b * g.H + iy) * g.W + ix) * g.IC;
                                float* wp = _w + ((long)ky * g.KW + kx) * oc;
                                for (int ic = 0; ic < g.IC; ic++)
                                {
                                    float xv = xp[ic];
                                    for (int j = 0; j < m; j++) y[ic * m + j] += xv * wp[ic * m + j];
                                }
                            }
                        }
                        for (int c = 0; c < oc; c++) y[c] = Math.Clamp(y[c], _min, _max);
                        y += oc;
                    }
        }
    }
}
