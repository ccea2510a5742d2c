using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

public enum UnaryKind { Relu, LeakyRelu, Elu, Selu, Tanh, Sigmoid, HardSigmoid, HardSwish, Erf, Gelu, Sqrt, Exp, Log, Abs, Neg }

/// <summary>fp32 activations and math functions: one output of X's shape, computed in place when
/// the planner allows. Attribute defaults follow ONNX.</summary>
public sealed class UnaryOperator : IOperator
{
    private readonly UnaryKind _kind;

    public UnaryOperator(string opType, UnaryKind kind)
    {
        OpType = opType;
        _kind = kind;
    }

    public string OpType { get; }

    public void InferShapes(Node node, Graph graph)
    {
        if (!node.HasInput(0)) throw new ModelException($"{graph.Source}: {node.Describe()}: missing input X");
        var x = graph[node.Inputs[0]];
        if (x.Type != DataType.Float32) throw ElementTypes.Unsupported(graph, node, x.Type);
        if (_kind == UnaryKind.Gelu && node.GetString("approximate", "none") is not ("none" or "tanh"))
            throw new ModelException($"{graph.Source}: {node.Describe()}: approximate must be 'none' or 'tanh', got '{node.GetString("approximate", "")}'");
        ShapeInference.SetOutput(graph, node, 0, x.Type, (int[])x.Shape.Clone());
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public int InPlaceInput(Node node, Graph graph) => 0;

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        float* x = ctx.InF(0), y = ctx.OutF(0);
        var output = ctx.Output(0);
        long n = output.ElementCount, pf = ElementTypes.PerFrame(ctx.Graph, output);
        return _kind switch
        {
            UnaryKind.Relu => new UnaryKernel<ReluOp>(default, x, y, n, pf),
            UnaryKind.LeakyRelu => new UnaryKernel<LeakyReluOp>(new(node.GetFloat("alpha", 0.01f)), x, y, n, pf),
            UnaryKind.Elu => new UnaryKernel<EluOp>(new(node.GetFloat("alpha", 1f)), x, y, n, pf),
            UnaryKind.Selu => new UnaryKernel<SeluOp>(new(node.GetFloat("alpha", 1.67326319217681884765625f), node.GetFloat("gamma", 1.05070102214813232421875f)), x, y, n, pf),
            UnaryKind.Tanh => new UnaryKernel<TanhOp>(default, x, y, n, pf),
            UnaryKind.Sigmoid => new UnaryKernel<SigmoidOp>(default, x, y, n, pf),
            UnaryKind.HardSigmoid => new UnaryKernel<HardSigmoidOp>(new(node.GetFloat("alpha", 0.2f), node.GetFloat("beta", 0.5f)), x, y, n, pf),
            UnaryKind.HardSwish => new UnaryKernel<HardSwishOp>(default, x, y, n, pf),
            UnaryKind.Erf => new UnaryKernel<ErfOp>(default, x, y, n, pf),
            UnaryKind.Gelu => new UnaryKernel<GeluOp>(new(node.GetString("approximate", "none") == "tanh"), x, y, n, pf),
            UnaryKind.Sqrt => new UnaryKernel<SqrtOp>(default, x, y, n, pf),
            UnaryKind.Exp => new UnaryKernel<ExpOp>(default, x, y, n, pf),
            UnaryKind.Log => new UnaryKernel<LogOp>(default, x, y, n, pf),
            UnaryKind.Abs => new UnaryKernel<AbsOp>(default, x, y, n, pf),
            UnaryKind.Neg => new UnaryKernel<NegOp>(default, x, y, n, pf),
            _ => throw new ModelException($"{node.Describe()}: no kernel"),
        };
    }
}
