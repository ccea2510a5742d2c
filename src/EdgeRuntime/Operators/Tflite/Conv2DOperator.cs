using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemv;
using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Requant;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite CONV_2D (NHWC input, OHWI filter). int8: per-channel weights, int32 bias,
/// single-rounding requantization (as TFLite's ruy path). float32: direct. Hybrid (float input,
/// int8 weights): activations quantized per batch, symmetric, at run time as TFLite's EvalHybrid.
/// Patches are gathered one output pixel at a time into scratch (none for 1×1 filters).</summary>
public sealed class Conv2DOperator : IOperator
{
    public string OpType => "tflite:CONV_2D";

    internal readonly record struct Geo(int N, int H, int W, int IC, int OC, int KH, int KW, int SH, int SW, int DH, int DW,
        int OH, int OW, int PadH, int PadW)
    {
        public int K => KH * KW * IC;
        public bool Pointwise => KH == 1 && KW == 1;
    }

    internal static Geo Geometry(Node node, Graph g)
    {
        var x = TfliteOp.In(g, node, 0, "input");
        var w = TfliteOp.In(g, node, 1, "filter");
        TfliteOp.Rank(g, node, x, 4, "input");
        TfliteOp.Rank(g, node, w, 4, "filter");
        if (w.Shape[3] != x.Shape[3])
            throw TfliteOp.Error(g, node, $"filter '{w.Name}' [{string.Join(",", w.Shape)}] expects {w.Shape[3]} input channels, input '{x.Name}' has {x.Shape[3]}");
        int sh = TfliteOp.Stride(g, node, "stride_h"), sw = TfliteOp.Stride(g, node, "stride_w");
        int dh = TfliteOp.Stride(g, node, "dilation_h"), dw = TfliteOp.Stride(g, node, "dilation_w");
        var (oh, ph) = TfliteOp.Geometry(g, node, x.Shape[1], w.Shape[1], sh, dh);
        var (ow, pw) = TfliteOp.Geometry(g, node, x.Shape[2], w.Shape[2], sw, dw);
        return new Geo(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], w.Shape[0], w.Shape[1], w.Shape[2], sh, sw, dh, dw, oh, ow, ph, pw);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var geo = Geometry(node, graph);
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        TfliteOp.RequireConstant(graph, node, w, "filter");
        TfliteOp.Activation(graph, node);
        TfliteOp.CheckType(graph, node, x, "input", DataType.Int8, DataType.Float32);
        if (x.Type == DataType.Int8)
        {
            TfliteOp.CheckType(graph, node, w, "filter", DataType.Int8);
            TfliteOp.PerTensor(graph, node, x, "input");
            TfliteOp.ChannelScales(graph, node, w, geo.OC, 0);
        }
        else
        {
            TfliteOp.CheckType(graph, node, w, "filter", DataType.Float32, DataType.Int8);
            if (w.Type == DataType.Int8)
            {
                var s = TfliteOp.ChannelScales(graph, node, w, geo.OC, 0);
                if (s.Any(v => v != s[0])) throw TfliteOp.Error(graph, node, "hybrid CONV_2D with per-channel filter scales is not supported");
                if (w.Quant!.ZeroPoints.Any(z => z != 0)) throw TfliteOp.Error(graph, node, "hybrid CONV_2D needs a symmetric filter (zero point 0)");
            }
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
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        long patch = geo.Pointwise ? 0 : geo.K * (long)(x.Type == DataType.Float32 && w.Type == DataType.Float32 ? 4 : 1);
        if (x.Type == DataType.Int8) patch *= geo.OW; // int8: one output row of im2col patches for the GEMM
        if (x.Type == DataType.Float32 && w.Type == DataType.Int8)
            return new MemoryNeeds(ArenaPlan.Align(x.ElementCount) + patch, 0);
        return new MemoryNeeds(patch, 0);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var g = ctx.Graph;
        var geo = Geometry(node, g);
        var x = ctx.Input(0);
        var w = ctx.Input(1);
        if (x.Type == DataType.Int8) return new Int8Kernel(node, ctx, geo);
        if (w.Type == DataType.Int8) return new HybridKernel(node, ctx, geo);
        return new FloatKernel(node, ctx, geo);
    }

    /// <summary>Gather the receptive field of output pixel (oy, ox) of batch b, padding with <paramref name="pad"/>.</summary>
    internal static unsafe void Gather<T>(in Geo g, T* input, int b, int oy, int ox, T* patch, T pad) where T : unmanaged
    {
        int iy0 = oy * g.SH - g.PadH, ix0 = ox * g.SW - g.PadW;
        T* p = patch;
        for (int ky = 0; ky < g.KH; ky++)
        {
            int iy = iy0 + ky * g.DH;
            bool rowIn = (uint)iy < (uint)g.H;
            for (int kx = 0; kx < g.KW; kx++, p += g.IC)
            {
                int ix = ix0 + kx * g.DW;
                if (rowIn && (uint)ix < (uint)g.W)
                    new ReadOnlySpan<T>(input + (((long)b * g.H + iy) * g.W + ix) * g.IC, g.IC).CopyTo(new Span<T>(p, g.IC));
                else
                    new Span<T>(p, g.IC).Fill(pad);
            }
        }
    }

    internal static unsafe T* PointwiseInput<T>(in Geo g, T* input, int b, int oy, int ox) where T : unmanaged
        => input + (((long)b * g.H + oy * g.SH) * g.W + ox * g.SW) * g.IC;

    /// <summary>int8 CONV_2D as one int8 GEMM per output row (m = OW patches, n = OC, k = KH·KW·IC) on the kernel
    /// library, then its single-rounding per-channel requantization. 1×1 filters read the input rows in place
    /// (row stride SW·IC); other filters gather the row's patches (im2col, padded with the input zero point)
    /// into scratch. The input zero point is folded into the bias (bias − zp·Σw), as before.</summary>
    private sealed unsafe class Int8Kernel : OpKernel
    {
        private readonly Geo _g;
        private readonly sbyte* _x, _w, _y, _patch;
        private readonly int* _bias, _mult, _shift, _acc;
        private readonly int _inZp, _outZp, _min, _max;
        private readonly bool _symmetric;
        private readonly PinnedBuffers _keep = new();

        public Int8Kernel(Node node, KernelContext ctx, Geo geo)
        {
            var gr = ctx.Graph;
            _g = geo;
            _x = (sbyte*)ctx.InputPtr(0);
            _w = (sbyte*)ctx.InputPtr(1);
            _y = (sbyte*)ctx.OutputPtr(0);
            _patch = (sbyte*)ctx.Scratch;
            var (inScale, inZp) = TfliteOp.PerTensor(gr, node, ctx.Input(0), "input");
            var (outScale, outZp) = TfliteOp.PerTensor(gr, node, ctx.Output(0), "output");
            var wScales = TfliteOp.ChannelScales(gr, node, ctx.Input(1), geo.OC, 0);
            _inZp = inZp; _outZp = outZp;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(gr, node), outScale, outZp);
            TfliteOp.CheckRequant(gr, node, _min, _max);
            var rowSums = Int8Gemv.RowSums(ctx.Input(1).Constant, geo.OC, geo.K);
            _symmetric = Int8Gemv.IsSymmetric(ctx.Input(1).Constant);
            var bias = ctx.HasInput(2) ? ctx.Input(2).ConstantInt32s : default;
            _bias = _keep.Ints(geo.OC); _mult = _keep.Ints(geo.OC); _shift = _keep.Ints(geo.OC);
            _acc = _keep.Ints(checked(geo.OW * geo.OC));
            for (int c = 0; c < geo.OC; c++)
            {
                _bias[c] = unchecked((bias.IsEmpty ? 0 : bias[c]) - inZp * rowSums[c]);
                (_mult[c], _shift[c]) = FixedPoint.QuantizeMultiplier((double)inScale * wScales[c] / outScale);
            }
        }

        public override string KernelName => "conv2d.i8.gemm";

        public override void Execute(int frames)
        {
            var g = _g;
            int k = g.K, oc = g.OC;
            sbyte* y = _y;
            for (int b = 0; b < g.N; b++)
                for (int oy = 0; oy < g.OH; oy++)
                {
                    sbyte* a;
                    int lda;
                    if (g.Pointwise) { a = PointwiseInput(g, _x, b, oy, 0); lda = g.SW * g.IC; }
                    else
                    {
                        for (int ox = 0; ox < g.OW; ox++) Gather(g, _x, b, oy, ox, _patch + (long)ox * k, (sbyte)_inZp);
                        a = _patch; lda = k;
                    }
                    Int8Gemm.Run(g.OW, oc, k, a, lda, _w, k, _acc, oc, _bias, 0, _symmetric);
                    Requantize.Run(g.OW, oc, _acc, y, _mult, _shift, _outZp, _min, _max, RoundingMode.Single);
                    y += (long)g.OW * oc;
                }
        }
    }

    private sealed unsafe class FloatKernel : OpKernel
    {
        private readonly Geo _g;
        private readonly float* _x, _w, _y, _bias, _patch;
        private readonly float _min, _max;

        public FloatKernel(Node node, KernelContext ctx, Geo geo)
        {
            _g = geo;
            _x = ctx.InF(0); _w = ctx.InF(1); _y = ctx.OutF(0);
            _bias = ctx.HasInput(2) ? ctx.InF(2) : null;
            _patch = (float*)ctx.Scratch;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(ctx.Graph, node));
        }

        public override string KernelName => "conv2d.f32.gemv";

        public override void Execute(int frames)
        {
            var g = _g;
            float* y = _y;
            for (int b = 0; b < g.N; b++)
                for (int oy = 0; oy < g.OH; oy++)
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        float* px;
                        if (g.Pointwise) px = PointwiseInput(g, _x, b, oy, ox);
                        else { Gather(g, _x, b, oy, ox, _patch, 0f); px = _patch; }
                        GemvF32.Run(g.OC, g.K, _w, px, y, _bias);
                        for (int c = 0; c < g.OC; c++) y[c] = Math.Clamp(y[c], _min, _max);
                        y += g.OC;
                    }
        }
    }

    /// <summary>TFLite builtin hybrid conv (EvalHybrid + HybridConv): per-batch symmetric int8
    /// quantization of the float input (scale = max|x|/127, round half away from zero, clamp ±127),
    /// int32 dot products, out = (float)acc · (input_scale·filter_scale), then + bias, then clamp.</summary>
    private sealed unsafe class HybridKernel : OpKernel
    {
        private readonly Geo _g;
        private readonly float* _x, _y, _bias;
        private readonly sbyte* _w, _q, _patch;
        private readonly int* _acc;
        private readonly float _filterScale, _min, _max;
        private readonly int _batchElems;
        private readonly PinnedBuffers _keep = new();

        public HybridKernel(Node node, KernelContext ctx, Geo geo)
        {
            _g = geo;
            _x = ctx.InF(0); _y = ctx.OutF(0);
            _w = (sbyte*)ctx.InputPtr(1);
            _bias = ctx.HasInput(2) ? ctx.InF(2) : null;
            _batchElems = geo.H * geo.W * geo.IC;
            _q = (sbyte*)ctx.Scratch;
            _patch = _q + ArenaPlan.Align((long)geo.N * _batchElems);
            _filterScale = ctx.Input(1).Quant!.Scales[0];
            _acc = _keep.Ints(geo.OC);
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(ctx.Graph, node));
        }

        public override string KernelName => "conv2d.hybrid.ref";

        public override void Execute(int frames)
        {
            var g = _g;
            float* y = _y;
            for (int b = 0; b < g.N; b++)
            {
                float scale = Hybrid.SymmetricQuantize(_x + (long)b * _batchElems, _q + (long)b * _batchElems, _batchElems) * _filterScale;
                for (int oy = 0; oy < g.OH; oy++)
                    for (int ox = 0; ox < g.OW; ox++)
                    {
                        sbyte* px;
                        if (g.Pointwise) px = PointwiseInput(g, _q, b, oy, ox);
                        else { Gather(g, _q, b, oy, ox, _patch, (sbyte)0); px = _patch; }
                        Int8Gemv.Run(g.OC, g.K, _w, px, null, _acc);
                        for (int c = 0; c < g.OC; c++)
                        {
                            float v = _acc[c] * scale;
                            if (_bias != null) v += _bias[c];
                            y[c] = Math.Clamp(v, _min, _max);
                        }
                        y += g.OC;
                    }
            }
        }
    }

}
