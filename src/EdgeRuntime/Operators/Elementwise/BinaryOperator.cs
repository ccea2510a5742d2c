using System.Numerics;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Add, Sub, Mul, Div, Max, Min (variadic), PRelu: numpy broadcasting (PRelu: the slope
/// broadcasts to X), the opset &lt; 7 <c>broadcast</c>/<c>axis</c> form, numeric element types.</summary>
public sealed class BinaryOperator : IOperator
{
    private readonly BinaryKind _kind;

    public BinaryOperator(string opType, BinaryKind kind)
    {
        OpType = opType;
        _kind = kind;
    }

    public string OpType { get; }
    private bool Variadic => _kind is BinaryKind.Max or BinaryKind.Min;

    private int[][] Shapes(Node node, Graph graph)
    {
        var shapes = Broadcasting.EffectiveShapes(graph, node);
        if (_kind == BinaryKind.PRelu && shapes.Length == 2)
        {
            int[] x = shapes[0], s = shapes[1];
            // Old models give a per-channel slope [C] for X [N,C,...]: align it on axis 1.
            if (s.Length == 1 && x.Length > 2 && s[0] == x[1] && s[0] != x[^1])
            {
                var es = Enumerable.Repeat(1, x.Length - 1).ToArray();
                es[0] = s[0];
                shapes[1] = es;
            }
        }
        return shapes;
    }

    public void InferShapes(Node node, Graph graph)
    {
        int count = node.Inputs.Count(s => s.Length > 0);
        if (Variadic ? count < 1 : count != 2)
            throw new ModelException($"{graph.Source}: {node.Describe()}: expects {(Variadic ? "at least 1 input" : "2 inputs")}, got {count}");
        var type = graph[node.Inputs[0]].Type;
        foreach (var name in node.Inputs.Where(s => s.Length > 0))
            if (graph[name].Type != type)
                throw new ModelException($"{graph.Source}: {node.Describe()}: input '{name}' is {graph[name].Type.ShortName()}, expected {type.ShortName()} like the first input");
        var shapes = Shapes(node, graph);
        int[] outShape = Broadcasting.Shape(graph, node, shapes);
        if (_kind == BinaryKind.PRelu && !outShape.AsSpan().SequenceEqual(shapes[0]))
            throw new ModelException($"{graph.Source}: {node.Describe()}: slope {Broadcasting.Fmt(shapes[1])} does not broadcast to X {Broadcasting.Fmt(shapes[0])}");
        ShapeInference.SetOutput(graph, node, 0, type, outShape);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    public int InPlaceInput(Node node, Graph graph)
    {
        var outShape = graph[node.Outputs[0]].Shape;
        var shapes = Shapes(node, graph);
        if (shapes[0].AsSpan().SequenceEqual(outShape)) return 0;
        if (shapes.Length == 2 && shapes[1].AsSpan().SequenceEqual(outShape)) return 1;
        return -1;
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var type = ctx.Input(0).Type;
        return type switch
        {
            DataType.Float32 => Make<float>(node, ctx),
            DataType.Float64 => Make<double>(node, ctx),
            DataType.Float16 => Make<Half>(node, ctx),
            DataType.Int8 => Make<sbyte>(node, ctx),
            DataType.UInt8 => Make<byte>(node, ctx),
            DataType.Int16 => Make<short>(node, ctx),
            DataType.UInt16 => Make<ushort>(node, ctx),
            DataType.Int32 => Make<int>(node, ctx),
            DataType.UInt32 => Make<uint>(node, ctx),
            DataType.Int64 => Make<long>(node, ctx),
            DataType.UInt64 => Make<ulong>(node, ctx),
            _ => throw ElementTypes.Unsupported(ctx.Graph, node, type),
        };
    }

    private unsafe OpKernel Make<T>(Node node, KernelContext ctx) where T : unmanaged, INumber<T>
    {
        var g = ctx.Graph;
        var output = ctx.Output(0);
        var shapes = Shapes(node, g);
        var inputs = Enumerable.Range(0, node.Inputs.Count).Where(node.HasInput).ToArray();
        T* o = (T*)ctx.OutputPtr(0);
        if (inputs.Length == 1)
            return new Core.CopyKernel(ctx);
        int steps = inputs.Length - 1;
        var a = new T*[steps];
        var b = new T*[steps];
        var its = new BroadcastIterator[steps];
        for (int s = 0; s < steps; s++)
        {
            a[s] = s == 0 ? (T*)ctx.InputPtr(inputs[0]) : o;
            b[s] = (T*)ctx.InputPtr(inputs[s + 1]);
            its[s] = new BroadcastIterator(output.Shape, [s == 0 ? shapes[0] : output.Shape, shapes[s + 1]]);
        }
        return new BinaryKernel<T>(_kind, o, a, b, its, g.Streaming, ElementTypes.PerFrame(g, output));
    }
}
