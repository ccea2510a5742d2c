using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>ONNX DynamicQuantizeLinear (uint8): range [min(0, min x), max(0, max x)], scale =
/// range/255, zero point = saturate(round_half_even(−min/scale)), y = saturate(round_half_even(x/scale) + zp).</summary>
public sealed class DynamicQuantizeLinearOperator : IOperator
{
    public string OpType => "DynamicQuantizeLinear";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        QuantElements.Require(graph, node, x, "input", DataType.Float32);
        ShapeInference.SetOutput(graph, node, 0, DataType.UInt8, (int[])x.Shape.Clone());
        if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0) ShapeInference.SetOutput(graph, node, 1, DataType.Float32, []);
        if (node.Outputs.Count > 2 && node.Outputs[2].Length > 0) ShapeInference.SetOutput(graph, node, 2, DataType.UInt8, []);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly float* _x, _scaleOut;
        private readonly byte* _y, _zpOut;
        private readonly long _n;

        public Kernel(Node node, KernelContext ctx)
        {
            _x = ctx.InF(0); _y = ctx.OutputPtr(0);
            _n = ctx.Input(0).ElementCount;
            _scaleOut = node.Outputs.Count > 1 && node.Outputs[1].Length > 0 ? (float*)ctx.OutputPtr(1) : null;
            _zpOut = node.Outputs.Count > 2 && node.Outputs[2].Length > 0 ? ctx.OutputPtr(2) : null;
        }

        public override string KernelName => "dynamicquantizelinear.ref";

        public override void Execute(int frames)
        {
            float min = 0, max = 0;
            for (long i = 0; i < _n; i++) { min = Math.Min(min, _x[i]); max = Math.Max(max, _x[i]); }
            float scale = (float)((double)(max - min) / 255.0);
            double zpReal = scale == 0 ? 0 : Math.Round((double)(0f - min / scale), MidpointRounding.ToEven);
            int zp = (int)Math.Clamp(zpReal, 0, 255);
            for (long i = 0; i < _n; i++)
            {
                double q = scale == 0 ? zp : Math.Round((double)(_x[i] / scale), MidpointRounding.ToEven) + zp;
                QuantElements.Store(_y, i, DataType.UInt8, q);
            }
            if (_scaleOut != null) *_scaleOut = scale;
            if (_zpOut != null) *_zpOut = (byte)zp;
        }
    }
}
