using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Recurrent;
using EdgeRuntime.Operators.Recurrent;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:Dense</c>: Y[T, N] = act(X[T, K]·W[K, N] + b[N]) frame by frame. Attribute
/// <c>activation</c> (tanh, relu, sigmoid, softmax, elu or none) is fused after the product.</summary>
public sealed class DenseOperator : IOperator
{
    public string OpType => "edge:Dense";

    public void InferShapes(Node node, Graph graph)
    {
        int k = FrameShape.Channels(graph, node, 0);
        var w = graph[node.Inputs[1]];
        if (w.Shape.Length != 2 || w.Shape[0] != k)
            throw new ModelException($"{graph.Source}: {node.Describe()}: weights '{w.Name}' must be [{k}, N], got [{string.Join(",", w.Shape)}]");
        if (node.HasInput(2) && graph[node.Inputs[2]].ElementCount != w.Shape[1])
            throw new ModelException($"{graph.Source}: {node.Describe()}: bias '{node.Inputs[2]}' must have {w.Shape[1]} entries");
        FrameActivation.Parse(node.GetString("activation", ""), $"{graph.Source}: {node.Describe()}");
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [graph[node.Inputs[0]].Shape[0], w.Shape[1]]);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(ctx);

    /// <summary>Constant weights (the RTNeural importer's case) run on <see cref="FrameDense"/>: packed once, the
    /// activation applied in registers. Runtime weights take the row-vector product and a separate activation pass.
    /// Either way every frame runs the same arithmetic, so results do not depend on the block size.</summary>
    private sealed unsafe class Kernel : OpKernel
    {
        private readonly float* _x, _w, _b, _y;
        private readonly int _k, _n, _rows;
        private readonly bool _streaming, _post;
        private readonly FrameActivationKind _act;
        private readonly float _alpha;
        private readonly FrameDense? _dense;

        public Kernel(KernelContext ctx)
        {
            _x = ctx.InF(0); _w = ctx.InF(1); _b = ctx.HasInput(2) ? ctx.InF(2) : null; _y = ctx.OutF(0);
            _k = ctx.Input(1).Shape[0]; _n = ctx.Input(1).Shape[1];
            _streaming = ctx.Graph.Streaming;
            _rows = ctx.Input(0).Shape[0];
            _act = FrameActivation.Parse(ctx.Node.GetString("activation", ""), ctx.Node.Describe());
            _alpha = ctx.Node.GetFloat("alpha", 1f);
            bool fusable = FrameActivation.Fusable(_act, out var kind);
            if (ctx.Input(1).IsConstant && (!ctx.HasInput(2) || ctx.Input(2).IsConstant))
            {
                _dense = new FrameDense(_k, _n, 1, ctx.Input(1).ConstantFloats, ctx.HasInput(2) ? ctx.Input(2).ConstantFloats : default,
                    fusable ? kind : null, _alpha);
                _post = !fusable;
            }
            else _post = true;
        }

        public override string KernelName => _dense != null ? $"dense.frame.{KernelPaths.Name(_dense.Path)}+{FrameActivation.Name(_act)}" : $"dense.vecmat+{FrameActivation.Name(_act)}";

        public override void Execute(int frames)
        {
            int rows = _streaming ? frames : _rows;
            if (_dense != null) _dense.Run(rows, _x, _k, 0, _y, _n);
            else
                for (int r = 0; r < rows; r++) VecMat.Run(_k, _n, _x + (long)r * _k, _w, _n, _b, _y + (long)r * _n);
            if (_post) FrameActivation.Apply(_act, _y, rows, _n, _alpha, null, 0);
        }
    }
}
