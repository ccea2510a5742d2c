using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Requant;
using EdgeRuntime.Operators.Quantized;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Tflite;

/// <summary>TFLite ADD of two same-shape tensors. int8: TFLite's fixed-point add (inputs shifted left
/// by 20, each rescaled to twice the larger input scale, summed, rescaled to the output; double
/// rounding throughout) on the kernel library's <see cref="Int8Add"/>; the scalar loop here stays as the reference
/// it is tested against. Runs in place on input 0 when the planner allows.</summary>
public sealed class AddOperator : IOperator
{
    public string OpType => "tflite:ADD";
    private const int LeftShift = 20;

    public void InferShapes(Node node, Graph graph)
    {
        var a = TfliteOp.In(graph, node, 0, "input 0");
        var b = TfliteOp.In(graph, node, 1, "input 1");
        TfliteOp.CheckType(graph, node, a, "input 0", DataType.Int8, DataType.Float32);
        TfliteOp.CheckType(graph, node, b, "input 1", a.Type);
        TfliteOp.Activation(graph, node);
        if (!a.Shape.SequenceEqual(b.Shape))
            throw TfliteOp.Error(graph, node, $"broadcasting [{string.Join(",", a.Shape)}] + [{string.Join(",", b.Shape)}] is not supported (shapes must match)");
        var y = ShapeInference.SetOutput(graph, node, 0, a.Type, (int[])a.Shape.Clone());
        if (a.Type == DataType.Int8)
        {
            TfliteOp.PerTensor(graph, node, a, "input 0");
            TfliteOp.PerTensor(graph, node, b, "input 1");
            TfliteOp.PerTensor(graph, node, y, "output");
        }
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx) =>
        ctx.Input(0).Type == DataType.Int8 ? new Int8Kernel(node, ctx) : new FloatKernel(node, ctx);

    private sealed unsafe class Int8Kernel : OpKernel
    {
        private readonly sbyte* _a, _b, _y;
        private readonly long _n;
        private readonly int _aOff, _bOff, _outZp, _am, _as, _bm, _bs, _om, _os, _min, _max;
        private readonly bool _reference = QuantizedKernels.ForceReference;
        private readonly Int8AddParams _p;
        private readonly int _count;

        public Int8Kernel(Node node, KernelContext ctx)
        {
            var g = ctx.Graph;
            _a = (sbyte*)ctx.InputPtr(0); _b = (sbyte*)ctx.InputPtr(1); _y = (sbyte*)ctx.OutputPtr(0);
            _n = ctx.Output(0).ElementCount;
            var (sa, za) = TfliteOp.PerTensor(g, node, ctx.Input(0), "input 0");
            var (sb, zb) = TfliteOp.PerTensor(g, node, ctx.Input(1), "input 1");
            var (so, zo) = TfliteOp.PerTensor(g, node, ctx.Output(0), "output");
            _aOff = -za; _bOff = -zb; _outZp = zo;
            double twiceMax = 2 * Math.Max(sa, sb);
            (_am, _as) = FixedPoint.QuantizeMultiplier(sa / twiceMax);
            (_bm, _bs) = FixedPoint.QuantizeMultiplier(sb / twiceMax);
            (_om, _os) = FixedPoint.QuantizeMultiplier(twiceMax / ((1 << LeftShift) * so));
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(g, node), so, zo);
            TfliteOp.CheckRequant(g, node, _min, _max);
            _count = checked((int)_n);
            _p = new Int8AddParams(LeftShift, _aOff, _am, _as, _bOff, _bm, _bs, _om, _os, _outZp, _min, _max);
            if (!_reference)
            {
                try { _p.Validate(); }
                catch (ArgumentOutOfRangeException e) { throw TfliteOp.Error(g, node, e.Message); }
            }
        }

        public override string KernelName => _reference ? "add.i8.ref" : "add.i8.kernels";

        public override void Execute(int frames)
        {
            if (!_reference) { Int8Add.Run(_count, _a, _b, _y, _p); return; }
            for (long i = 0; i < _n; i++)
            {
                int a = FixedPoint.MultiplyDoubleRounding((_a[i] + _aOff) * (1 << LeftShift), _am, _as);
                int b = FixedPoint.MultiplyDoubleRounding((_b[i] + _bOff) * (1 << LeftShift), _bm, _bs);
                int v = FixedPoint.MultiplyDoubleRounding(a + b, _om, _os) + _outZp;
                _y[i] = (sbyte)Math.Clamp(v, _min, _max);
            }
        }
    }

    private sealed unsafe class FloatKernel : OpKernel
    {
        private readonly float* _a, _b, _y;
        private readonly long _n;
        private readonly float _min, _max;

        public FloatKernel(Node node, KernelContext ctx)
        {
            _a = ctx.InF(0); _b = ctx.InF(1); _y = ctx.OutF(0);
            _n = ctx.Output(0).ElementCount;
            (_min, _max) = FixedPoint.ActivationRange(TfliteOp.Activation(ctx.Graph, node));
        }

        public override string KernelName => "add.f32.ref";

        public override void Execute(int frames)
        {
            for (long i = 0; i < _n; i++) _y[i] = Math.Clamp(_a[i] + _b[i], _min, _max);
        }
    }
}
