using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Pooling;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX GlobalAveragePool: mean over all spatial positions of each (batch, channel) plane.</summary>
public sealed class GlobalAveragePoolOperator : IOperator
{
    public string OpType => "GlobalAveragePool";

    public void InferShapes(Node node, Graph graph) =>
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, GlobalPoolShape.Of(graph, node).Output);

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var (planes, size, _) = GlobalPoolShape.Of(ctx.Graph, node);
        return new GlobalPoolKernel(ctx.InF(0), ctx.OutF(0), planes, size, average: true);
    }
}

/// <summary>Reduces each contiguous plane of X to one value (mean or max).</summary>
internal sealed unsafe class GlobalPoolKernel(float* x, float* y, int planes, int size, bool average) : OpKernel
{
    public override string KernelName => average ? "globalaveragepool.f32" : "globalmaxpool.f32";

    public override void Execute(int frames)
    {
        if (average) { PlanePoolingF32.Mean(planes, size, x, y); return; }
        for (int p = 0; p < planes; p++)
        {
            float* plane = x + (long)p * size;
            {
                float max = plane[0];
                for (int i = 1; i < size; i++) if (plane[i] > max || float.IsNaN(plane[i])) max = plane[i];
                y[p] = max;
            }
        }
    }
}
