using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:CausalConv1D</c>: streaming causal dilated grouped 1-D convolution on time-major
/// frames. X [T, Cin] → Y [T, Cout]; W [Cout, Cin/groups, K] (tap K−1 multiplies the current frame,
/// tap k the frame (K−1−k)·dilation steps back), optional bias [Cout]; attributes <c>kernel</c>,
/// <c>dilation</c>, <c>groups</c> and an optional fused <c>activation</c>. The last (K−1)·dilation
/// input frames are kept in persistent memory across calls (zeros after Reset; non-streaming graphs
/// start from zeros on every run, i.e. causal zero padding).</summary>
public sealed class CausalConv1DOperator : IOperator
{
    public string OpType => "edge:CausalConv1D";

    private readonly record struct Config(int Cin, int Cout, int K, int Dilation, int Groups, int Frames)
    {
        public int History => (K - 1) * Dilation;
    }

    private static Config Parse(Node node, Graph graph)
    {
        string where = $"{graph.Source}: {node.Describe()}";
        int cin = FrameShape.Channels(graph, node, 0);
        var w = graph[node.Inputs[1]];
        int k = (int)node.GetInt("kernel", w.Shape.Length == 3 ? w.Shape[2] : -1);
        int d = (int)node.GetInt("dilation", 1);
        int g = (int)node.GetInt("groups", 1);
        if (k < 1 || d < 1 || g < 1) throw new ModelException($"{where}: kernel, dilation and groups must be ≥ 1 (got {k}, {d}, {g})");
        if (w.Shape.Length != 3 || w.Shape[2] != k || cin % g != 0 || w.Shape[1] != cin / g || w.Shape[0] % g != 0)
            throw new ModelException($"{where}: weights '{w.Name}' must be [Cout, {(cin % g == 0 ? cin / g : -1)}, {k}] with Cout divisible by groups {g}, got [{string.Join(",", w.Shape)}]");
        if (!w.IsConstant) throw new ModelException($"{where}: weights '{w.Name}' must be constant");
        int cout = w.Shape[0];
        if (node.HasInput(2) && graph[node.Inputs[2]].ElementCount != cout)
            throw new ModelException($"{where}: bias '{node.Inputs[2]}' must have {cout} entries, got {graph[node.Inputs[2]].ElementCount}");
        FrameActivation.Parse(node.GetString("activation", ""), where);
        return new Config(cin, cout, k, d, g, graph[node.Inputs[0]].Shape[0]);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var c = Parse(node, graph);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [c.Frames, c.Cout]);
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var c = Parse(node, graph);
        return new MemoryNeeds((long)(c.History + c.Frames) * c.Cin * 4, (long)c.History * c.Cin * 4);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(Parse(node, ctx.Graph), ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly KernelContext _ctx;
        private readonly Config _c;
        private readonly float* _x, _b, _y, _hist, _win, _wp;
        private readonly float[] _wpArr;
        private readonly int _cig, _cog;
        private readonly FrameActivationKind _act;

        public Kernel(Config c, KernelContext ctx)
        {
            _ctx = ctx; _c = c;
            _x = ctx.InF(0); _b = ctx.HasInput(2) ? ctx.InF(2) : null; _y = ctx.OutF(0);
            _hist = (float*)ctx.Persistent; _win = (float*)ctx.Scratch;
            _cig = c.Cin / c.Groups; _cog = c.Cout / c.Groups;
            _act = FrameActivation.Parse(ctx.Node.GetString("activation", ""), ctx.Node.Describe());
            // Pack once: per tap k, per group g, a [Cin/g, Cout/g] block (GEMM B operand).
            _wpArr = GC.AllocateArray<float>(c.K * c.Groups * _cig * _cog, pinned: true);
            _wp = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_wpArr));
            var w = ctx.Input(1).ConstantFloats;
            for (int k = 0; k < c.K; k++)
                for (int g = 0; g < c.Groups; g++)
                    for (int i = 0; i < _cig; i++)
                        for (int o = 0; o < _cog; o++)
                            _wp[(((long)k * c.Groups + g) * _cig + i) * _cog + o] = w[((g * _cog + o) * _cig + i) * c.K + k];
        }

        public override string KernelName => $"conv1d.causal.gemm+{FrameActivation.Name(_act)}";

        public override void Execute(int frames)
        {
            int rows = FrameShape.Rows(_ctx, frames);
            int cin = _c.Cin, hist = _c.History;
            long histBytes = (long)hist * cin * 4;
            if (!_ctx.Graph.Streaming) new Span<byte>(_hist, (int)histBytes).Clear();
            Buffer.MemoryCopy(_hist, _win, histBytes, histBytes);
            long inBytes = (long)rows * cin * 4;
            Buffer.MemoryCopy(_x, _win + (long)hist * cin, inBytes, inBytes);
            for (int k = 0; k < _c.K; k++)
                for (int g = 0; g < _c.Groups; g++)
                    GemmF32.Run(rows, _cog, _cig, _win + (long)k * _c.Dilation * cin + g * _cig, cin,
                        _wp + ((long)k * _c.Groups + g) * _cig * _cog, _cog, _y + g * _cog, _c.Cout,
                        k == 0 && _b != null ? _b + g * _cog : null, accumulate: k > 0);
            Buffer.MemoryCopy(_win + (long)rows * cin, _hist, histBytes, histBytes);
            FrameActivation.Apply(_act, _y, rows, _c.Cout, 1f, null, 0);
        }
    }
}
