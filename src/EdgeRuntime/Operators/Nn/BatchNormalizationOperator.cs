using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX BatchNormalization in inference mode (opset 1+): Y = (X − mean) / √(var + ε) · scale + B
/// per channel, or per element for the pre-opset-9 <c>spatial = 0</c> form (parameters shaped
/// [C, D1, ...]). Parameters may arrive at run time. With training_mode = 1 (opset 14+) the batch's own
/// statistics normalize X and the optional outputs running_mean / running_var are
/// <c>input · momentum + batch · (1 − momentum)</c> (population variance), as the ONNX reference does.
/// The pre-opset-14 training outputs (saved mean / variance) are reported as unsupported.</summary>
public sealed class BatchNormalizationOperator : IOperator
{
    public string OpType => "BatchNormalization";

    public void InferShapes(Node node, Graph graph)
    {
        var s = BatchNormShape.Of(graph, node);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])graph[node.Inputs[0]].Shape.Clone());
        for (int i = 1; i <= 2; i++)
            if (s.Training && node.Outputs.Count > i && node.Outputs[i].Length > 0)
                ShapeInference.SetOutput(graph, node, i, DataType.Float32, (int[])graph[node.Inputs[3]].Shape.Clone());
    }

    public int InPlaceInput(Node node, Graph graph) => BatchNormShape.Of(graph, node).Training ? -1 : 0;

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var s = BatchNormShape.Of(graph, node);
        return new(s.Training ? 2L * s.Channels * sizeof(float) : 0, 0);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var s = BatchNormShape.Of(ctx.Graph, node);
        if (s.Training)
        {
            float* runMean = node.Outputs.Count > 1 && node.Outputs[1].Length > 0 ? ctx.OutF(1) : null;
            float* runVar = node.Outputs.Count > 2 && node.Outputs[2].Length > 0 ? ctx.OutF(2) : null;
            return new BatchNormTrainingKernel(s, ctx.InF(0), ctx.InF(1), ctx.InF(2), ctx.InF(3), ctx.InF(4), ctx.OutF(0),
                runMean, runVar, (float*)ctx.Scratch);
        }
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
    /// <summary>training_mode = 1: normalize with the batch's statistics.</summary>
    public required bool Training { get; init; }
    public required float Momentum { get; init; }

    public static BatchNormShape Of(Graph graph, Node node)
    {
        bool training = node.GetInt("training_mode", 0) != 0;
        if (training && graph.Opset < 14)
            throw NnChecks.Error(graph, node, $"training_mode is defined from opset 14 (model is opset {graph.Opset})");
        if (!training && NnChecks.OutputCount(node) > 1)
            throw NnChecks.Unsupported(graph, node, "training (mean/var/saved statistics outputs before opset 14)");
        if (training && node.Outputs.Count > 3)
            throw NnChecks.Error(graph, node, $"has {node.Outputs.Count} outputs; training mode defines 3");
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
        else if (count == c * plane && node.GetInt("spatial", 1) == 0 && !training) perElement = true;
        else throw NnChecks.Error(graph, node, $"parameters have {count} values; X {NnChecks.Dims(x.Shape)} needs {c} (one per channel)");
        return new BatchNormShape
        {
            Batch = x.Shape[0], Channels = c, PlaneSize = checked((int)plane), PerElement = perElement,
            Epsilon = node.GetFloat("epsilon", 1e-5f),
            Training = training,
            Momentum = node.GetFloat("momentum", 0.9f),
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

/// <summary>training_mode = 1: batch mean and population variance per channel (into scratch), then
/// the same affine normalization; running statistics blended with momentum.</summary>
internal sealed unsafe class BatchNormTrainingKernel(BatchNormShape s, float* x, float* scale, float* bias, float* mean, float* variance,
    float* y, float* runMean, float* runVar, float* stats) : OpKernel
{
    public override string KernelName => "batchnorm.f32.training";

    public override void Execute(int frames)
    {
        int size = s.PlaneSize, channels = s.Channels;
        float* batchMean = stats, batchVar = stats + channels;
        double count = (double)s.Batch * size;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < s.Batch; n++)
            {
                float* xi = x + ((long)n * channels + c) * size;
                for (int i = 0; i < size; i++) sum += xi[i];
            }
            double mu = count > 0 ? sum / count : 0, sq = 0;
            for (int n = 0; n < s.Batch; n++)
            {
                float* xi = x + ((long)n * channels + c) * size;
                for (int i = 0; i < size; i++) { double d = xi[i] - mu; sq += d * d; }
            }
            batchMean[c] = (float)mu;
            batchVar[c] = count > 0 ? (float)(sq / count) : 0f;
        }
        for (int c = 0; c < channels; c++)
        {
            // Written before Y: the running outputs may not alias X, but read the inputs first.
            float rm = mean[c] * s.Momentum + batchMean[c] * (1 - s.Momentum);
            float rv = variance[c] * s.Momentum + batchVar[c] * (1 - s.Momentum);
            if (runMean != null) runMean[c] = rm;
            if (runVar != null) runVar[c] = rv;
        }
        for (int n = 0; n < s.Batch; n++)
            for (int c = 0; c < channels; c++)
            {
                long off = ((long)n * channels + c) * size;
                float k = scale[c] / MathF.Sqrt(batchVar[c] + s.Epsilon);
                float b = bias[c] - batchMean[c] * k;
                for (int i = 0; i < size; i++) y[off + i] = x[off + i] * k + b;
            }
    }
}
