using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:CausalConv1D</c>: streaming causal dilated 1-D convolution, time-major.
/// Inputs: X [T, Cin], W [Cout, Cin/groups, K] (constant), optional B [Cout] (constant).
/// Attributes: <c>kernel</c> (K, defaults to W's last dim), <c>dilation</c> [1], <c>groups</c> [1].
/// Output Y [T, Cout] with y[t] = b + Σ_k W[:, :, k] · x[t − d·(K−1−k)] (tap K−1 is the current frame).
/// The (K−1)·d frames of input history live in the persistent region and carry across calls
/// (zero after Reset); each call processes only the first <c>frames</c> rows.</summary>
public sealed class CausalConv1DOperator : IOperator
{
    public string OpType => "edge:CausalConv1D";

    internal readonly record struct Dims(int Frames, int Cin, int Cout, int K, int Dilation, int Groups);

    internal static Dims Check(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (node.Inputs.Count < 2 || !node.HasInput(1))
            throw new ModelException($"{graph.Source}: {node.Describe()}: needs inputs X and W");
        var w = graph[node.Inputs[1]];
        if (x.Shape.Length != 2)
            throw new ModelException($"{graph.Source}: {node.Describe()}: X '{x.Name}' must be [T, Cin], got [{string.Join(",", x.Shape)}]");
        if (w.Shape.Length != 3)
            throw new ModelException($"{graph.Source}: {node.Describe()}: W '{w.Name}' must be [Cout, Cin/groups, K], got [{string.Join(",", w.Shape)}]");
        if (!w.IsConstant || w.Type != DataType.Float32)
            throw new ModelException($"{graph.Source}: {node.Describe()}: W '{w.Name}' must be a float32 constant");
        int groups = checked((int)node.GetInt("groups", 1));
        int dil = checked((int)node.GetInt("dilation", 1));
        int k = checked((int)node.GetInt("kernel", w.Shape[2]));
        int cin = x.Shape[1], cout = w.Shape[0];
        if (groups < 1 || dil < 1 || k < 1)
            throw new ModelException($"{graph.Source}: {node.Describe()}: kernel, dilation and groups must be ≥ 1 (got {k}, {dil}, {groups})");
        if (k != w.Shape[2])
            throw new ModelException($"{graph.Source}: {node.Describe()}: kernel={k} but W has {w.Shape[2]} taps");
        if (cin % groups != 0 || cout % groups != 0 || w.Shape[1] * groups != cin)
            throw new ModelException($"{graph.Source}: {node.Describe()}: W [{string.Join(",", w.Shape)}] does not fit Cin={cin} with groups={groups}");
        if (node.HasInput(2))
        {
            var b = graph[node.Inputs[2]];
            if (!b.IsConstant || b.Type != DataType.Float32 || b.ElementCount != cout)
                throw new ModelException($"{graph.Source}: {node.Describe()}: bias '{b.Name}' must be a float32 constant of {cout} values");
        }
        if (x.Type != DataType.Float32)
            throw new ModelException($"{graph.Source}: {node.Describe()}: X '{x.Name}' must be float32");
        return new Dims(x.Shape[0], cin, cout, k, dil, groups);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var d = Check(node, graph);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [d.Frames, d.Cout]);
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var d = Check(node, graph);
        int hist = (d.K - 1) * d.Dilation;
        long scratch = d.K > 1 && d.Cout > CausalConv1DKernel.TapConvMaxCout ? (long)d.Frames * d.Cin * d.K * sizeof(float) : 0;
        return new MemoryNeeds(scratch, hist == 0 ? 0 : ConvHistory.Bytes(d.Cin, hist, d.Frames));
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new CausalConv1DKernel(node, ctx);
}

internal sealed unsafe class CausalConv1DKernel : OpKernel
{
    /// <summary>Output channels up to which the tap-accumulating kernel beats the packed GEMM.</summary>
    internal const int TapConvMaxCout = 64;

    private readonly TapConvOp? _tap;     // small Cout: taps accumulated in registers, no im2col
    private readonly Im2ColConv? _conv;   // wide Cout: one GEMM over gathered taps
    private readonly int _cin, _cout, _histFrames;
    private readonly float* _x, _y, _a;
    private readonly bool _stateful;
    private ConvHistory _hist;

    public CausalConv1DKernel(Node node, KernelContext ctx)
    {
        var d = CausalConv1DOperator.Check(node, ctx.Graph);
        var bias = node.HasInput(2) ? ctx.Input(2).ConstantFloats : default;
        if (d.Cout <= TapConvMaxCout)
            _tap = new TapConvOp(ctx.Input(1).ConstantFloats, bias, d.Cout, d.Cin, d.K, d.Dilation, d.Groups);
        else
            _conv = new Im2ColConv(ctx.Input(1).ConstantFloats, bias, d.Cout, d.Cin, d.K, d.Dilation, d.Groups);
        _cin = d.Cin; _cout = d.Cout;
        _histFrames = (d.K - 1) * d.Dilation;
        _a = (float*)ctx.Scratch;
        _x = ctx.InF(0);
        _y = ctx.OutF(0);
        _stateful = _histFrames > 0;
        if (_stateful) _hist = new ConvHistory((float*)ctx.Persistent, d.Cin, _histFrames, d.Frames);
    }

    private void Conv(int frames, float* x)
    {
        if (_tap is not null) _tap.Run(frames, x, _cin, null, 0, null, 0, _y, _cout);
        else _conv!.Run(frames, x, null, _a, _y, _cout, false);
    }

    public override void Execute(int frames)
    {
        if (!_stateful)
        {
            Conv(frames, _x);
            return;
        }
        float* cur = _hist.Begin(frames);
        long n = (long)frames * _cin * sizeof(float);
        Buffer.MemoryCopy(_x, cur, n, n);
        Conv(frames, cur);
        _hist.End(frames);
    }

    public override void Reset()
    {
        if (_stateful) _hist.Reset();
    }

    public override string KernelName => _tap is not null ? "causalconv1d.tapconv" : "causalconv1d.im2col-gemm";
}
