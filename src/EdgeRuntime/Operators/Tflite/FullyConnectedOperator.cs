using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemv;
using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Requant;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite FULLY_CONNECTED: y[b,:] = W[OC×IC]·x[b,:] + bias. int8: per-tensor weights with
/// zero point 0, int32 bias, single-rounding requantization (TFLite's ruy path). float32 via GEMV.</summary>
public sealed class FullyConnectedOperator : IOperator
{
    public string OpType => "tflite:FULLY_CONNECTED";

    private static (int Batches, int IC, int OC) Dims(Node node, Graph g)
    {
        var x = TfliteOp.In(g, node, 0, "input");
        var w = TfliteOp.In(g, node, 1, "weights");
        TfliteOp.Rank(g, node, w, 2, "weights");
        int ic = w.Shape[1], oc = w.Shape[0];
        if (ic == 0 || x.ElementCount % ic != 0)
            throw TfliteOp.Error(g, node, $"input '{x.Name}' [{string.Join(",", x.Shape)}] is not a whole number of {ic}-element rows for weights [{oc},{ic}]");
        if (node.GetInt("weights_format", 0) != 0) throw TfliteOp.Error(g, node, "shuffled weights format is not supported");
        return ((int)(x.ElementCount / ic), ic, oc);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var (batches, ic, oc) = Dims(node, graph);
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        TfliteOp.RequireConstant(graph, node, w, "weights");
        TfliteOp.Activation(graph, node);
        TfliteOp.CheckType(graph, node, x, "input", DataType.Int8, DataType.Float32);
        TfliteOp.CheckType(graph, node, w, "weights", x.Type);
        if (x.Type == DataType.Int8)
        {
            TfliteOp.PerTensor(graph, node, x, "input");
            var (_, wzp) = TfliteOp.PerTensor(graph, node, w, "weights");
            if (wzp != 0) throw TfliteOp.Error(graph, node, $"int8 weights '{w.Name}' must have zero point 0, have {wzp}");
        }
        if (node.HasInput(2))
        {
            var b = graph[node.Inputs[2]];
            TfliteOp.RequireConstant(graph, node, b, "bias");
            TfliteOp.CheckType(graph, node, b, "bias", x.Type == DataType.Int8 ? DataType.Int32 : DataType.Float32);
            if (b.ElementCount != oc) throw TfliteOp.Error(graph, node, $"bias '{b.Name}' has {b.ElementCount} elements, expected {oc}");
        }
        int[] shape = node.GetInt("keep_num_dims", 0) != 0 ? [.. x.Shape[..^1], oc] : [batches, oc];
        var y = ShapeInference.SetOutput(graph, node, 0, x.Type, shape);
        if (x.Type == DataType.Int8) TfliteOp.PerTensor(graph, node, y, "output");
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var (batches, ic, oc) = Dims(node, ctx.Graph);
        return ctx.Input(0).Type == DataType.Int8 ? new Int8Kernel(node, ctx, batches, ic, oc) : new FloatKernel(node, ctx, batches, ic, oc);
    }

    /// <summary>All batch rows in one int8 GEMM (kernel library, input zero point folded into the bias),
    /// then the kernel library's single-rounding requantization (per tensor).</summary>
    private sealed unsafe class Int8Kernel : OpKernel
    {
        private readonly int _batches, _ic, _oc, _outZp, _min, _max;
        private readonly bool _symmetric;
        private readonly sbyte* _x, _w, _y;
        private readonly int* _bias, _acc, _mult, _shift;
        private readonly PinnedBuffers _keep = new();

        public Int8Kernel(Node node, KernelContext ctx, int batches, int ic, int oc)
        {
            var g = ctx.Graph;
            _batches = batches; _ic = ic; _oc = oc;
            _x = (sbyte*)ctx.InputPtr(0); _w = (sbyte*)ctx.InputPtr(1); _y = (sbyte*)ctx.OutputPtr(0);
            var (inScale, inZp) = TfliteOp.PerTensor(g, node, ctx.Input(0), "input");
            var (wScale, _) = TfliteOp.PerTensor(g, node, ctx.Input(1), "weights");
            var (outScale, outZp) = TfliteOp.PerTensor(g, node, ctx.Output(0), "output");
            _outZp = outZp;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(g, node), outScale, outZp);
            TfliteOp.CheckRequant(g, node, _min, _max);
            _mult = _keep.Ints(1); _shift = _keep.Ints(1);
            (_mult[0], _shift[0]) = FixedPoint.QuantizeMultiplier((double)inScale * wScale / outScale);
            var rowSums = Int8Gemv.RowSums(ctx.Input(1).Constant, oc, ic);
            _symmetric = Int8Gemv.IsSymmetric(ctx.Input(1).Constant);
            var bias = ctx.HasInput(2) ? ctx.Input(2).ConstantInt32s : default;
            _bias = _keep.Ints(oc); _acc = _keep.Ints(checked(batches * oc));
            for (int c = 0; c < oc; c++) _bias[c] = unchecked((bias.IsEmpty ? 0 : bias[c]) - inZp * rowSums[c]);
        }

        public override string KernelName => "fc.i8.gemm";

        public override void Execute(int frames)
        {
            Int8Gemm.Run(_batches, _oc, _ic, _x, _ic, _w, _ic, _acc, _oc, _bias, 0, _symmetric);
            Requantize.Run(_batches, _oc, _acc, _y, _mult, _shift, _outZp, _min, _max, RoundingMode.Single, perChannel: false);
        }
    }

    private sealed unsafe class FloatKernel : OpKernel
    {
        private readonly int _batches, _ic, _oc;
        private readonly float* _x, _w, _y, _bias;
        private readonly float _min, _max;

        public FloatKernel(Node node, KernelContext ctx, int batches, int ic, int oc)
        {
            _batches = batches; _ic = ic; _oc = oc;
            _x = ctx.InF(0); _w = ctx.InF(1); _y = ctx.OutF(0);
            _bias = ctx.HasInput(2) ? ctx.InF(2) : null;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(ctx.Graph, node));
        }

        public override string KernelName => "fc.f32.gemv";

        public override void Execute(int frames)
        {
            for (int b = 0; b < _batches; b++)
            {
                float* y = _y + (long)b * _oc;
                GemvF32.Run(_oc, _ic, _w, _x + (long)b * _ic, y, _bias);
                for (int c = 0; c < _oc; c++) y[c] = Math.Clamp(y[c], _min, _max);
            }
        }
    }
}
