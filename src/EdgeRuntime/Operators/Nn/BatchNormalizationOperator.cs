using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX BatchNormalization in inference mode (opset 1+): Y = (X − mean) / √(var + ε) · scale + B
/// per channel, or per element for the pre-opset-9 <c>spatial = 0</c> form (parameters shaped
/// [C, D1, ...]). Parameters may arrive at run time. Training mode (training_mode = 1 or the
/// running-statistics outputs) is reported as unsupported.</summary>
public sealed class BatchNormalizationOperator : IOperator
{
    public string OpType => "BatchNormalization";

    public void InferShapes(Node node, Graph graph)
    {
        var s = BatchNormShape.Of(graph, node);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])graph[node.Inputs[0]].Shape.Clone());
        _ = s;
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var s = BatchNormShape.Of(ctx.Graph, node);
        return new BatchNormKernel(s, ctx.InF(0), ctx.InF(1), ctx.InF(2), ctx.InF(3), ctx.InF(4), ctx.OutF(0));
    }
}

internal sealed class BatchNormShape
{
    public required int Batch { get; init; }
    public required int Channels { get; init; }
    public required int PlaneSize { get; init; }
    /// <summary>Parameters have one value per element of a plane-stack [C × PlaneSize] (spatial = 0).</summary>
    public required bool PerElement { get; init; }
    public required float Epsilon { get; init; }

    public static BatchNormShape Of(Graph graph, Node node)
    {
        if (node.GetInt("training_mode", 0) != 0)
            throw NnChecks.Unsupported(graph, node, "training_mode = 1 (batch statistics)");
        if (NnChecks.OutputCount(node) > 1)
            throw NnChecks.Unsupported(graph, node, "training (mean/var/saved statistics outputs)");
        var x = NnChecks.Float(graph, node, 0, "X");
        NnChecks.Rank(graph, node, x, "input X", 2, 8);
        int c = x.Shape[1];
        long plane = 1;
        for (int i = 2; i < x.Shape.Length; i++) plane *= x.Shape[i];
        string[] roles = ["scale", "B", "mean", "var"];
        long count = -1;
        for (int i = 1; i <= 4; i++)
        {
            var p = NnChecks.Float(graph, node, i, roles[i - 1]);
            if (count < 0) count = p.ElementCount;
            else if (p.ElementCount != count)
                throw NnChecks.Error(graph, node, $"{roles[i - 1]} '{p.Name}' {NnChecks.Dims(p.Shape)} has {p.ElementCount} values, scale has {count}");
        }
        bool perElement;
        if (count == c) perElement = false;
        else if (count == c * plane && node.GetInt("spatial", 1) == 0) perElement = true;
        else throw NnChecks.Error(graph, node, $"parameters have {count} values; X {NnChecks.Dims(x.Shape)} needs {c} (one per channel)");
        return new BatchNormShape
        {
            Batch = x.Shape[0], Channels = c, PlaneSize = checked((int)plane), PerElement = perElement,
            Epsilon = node.GetFloat("epsilon", 1e-5f),
        };
    }
}

internal sealed unsafe class BatchNormKernel(BatchNormShape s, float* x, float* scale, float* bias, float* mean, float* variance, float* y) : OpKernel
{
    public override string KernelName => "batchnorm.f32";

    public override void Execute(int frames)
    {
        int size = s.PlaneSize;
        for (int n = 0; n < s.Batch; n++)
        {
            for (int c = 0; c < s.Channels; c++)
            {
                long off = ((long)n * s.Channels + c) * size;
                float* xi = x + off, yi = y + off;
                if (!s.PerElement)
                {
                    float k = scale[c] / MathF.Sqrt(variance[c] + s.Epsilon);
                    float b = bias[c] - mean[c] * k;
                    for (int i = 0; i < size; i++) yi[i] = xi[i] * k + b;
                }
                else
                {
                    int p0 = c * size;
                    for (int i = 0; i < size; i++)
                    {
                        int p = p0 + i;
                        yi[i] = (xi[i] - mean[p]) / MathF.Sqrt(variance[p] + s.Epsilon) * scale[p] + bias[p];
                    }
                }
            }
        }
    }
}
