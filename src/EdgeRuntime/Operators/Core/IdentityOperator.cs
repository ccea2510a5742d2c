using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Core;

/// <summary>Identity: output is a view of the input (no copy) unless the planner cannot alias it.</summary>
public sealed class IdentityOperator : IOperator
{
    public string OpType => "Identity";

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        ShapeInference.SetOutput(graph, node, 0, x.Type, (int[])x.Shape.Clone(), x.Quant);
    }

    public bool IsView(Node node, Graph graph) => true;

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new CopyKernel(ctx);
}

/// <summary>Copies input 0 to output 0 when they are distinct buffers; nothing when aliased.</summary>
public sealed unsafe class CopyKernel : OpKernel
{
    private readonly byte* _src, _dst;
    private readonly long _bytes;

    public CopyKernel(KernelContext ctx)
    {
        _src = ctx.InputPtr(0);
        _dst = ctx.OutputPtr(0);
        _bytes = ctx.Output(0).ByteSize;
    }

    public override void Execute(int frames)
    {
        if (_src != _dst) Buffer.MemoryCopy(_src, _dst, _bytes, _bytes);
    }
}
