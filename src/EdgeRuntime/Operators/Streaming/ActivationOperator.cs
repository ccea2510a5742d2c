using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:Activation</c>: a point-wise activation on [T, C] (names and parameters as in
/// <see cref="ActivationFunction"/>); processes only the first <c>frames</c> rows. May run in place.</summary>
public sealed class ActivationOperator : IOperator
{
    public string OpType => "edge:Activation";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (x.Type != DataType.Float32 || x.Shape.Length < 1)
            throw new ModelException($"{graph.Source}: {node.Describe()}: input '{x.Name}' must be float32 [T, ...]");
        ActivationFunction.Create(node.GetString("activation", ""), node.GetFloats("activation_params"), $"{graph.Source}: {node.Describe()}");
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, (int[])x.Shape.Clone());
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new ActivationKernel(node, ctx);
}

internal sealed unsafe class ActivationKernel : OpKernel
{
    private readonly ActivationFunction _f;
    private readonly float* _x, _y;
    private readonly int _channels;

    public ActivationKernel(Node node, KernelContext ctx)
    {
        var x = ctx.Input(0);
        _channels = checked((int)(x.ElementCount / Math.Max(1, x.Shape[0])));
        _f = ActivationFunction.Create(node.GetString("activation", ""), node.GetFloats("activation_params"), $"{ctx.Graph.Source}: {node.Describe()}");
        _f.CheckChannels(_channels, $"{ctx.Graph.Source}: {node.Describe()}");
        _x = ctx.InF(0);
        _y = ctx.OutF(0);
    }

    public override void Execute(int frames)
    {
        long n = (long)frames * _channels * sizeof(float);
        if (_x != _y) Buffer.MemoryCopy(_x, _y, n, n);
        _f.Apply(_y, frames, _channels, _channels);
    }
}
