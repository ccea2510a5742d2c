using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Recurrent;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:CausalConv1D</c>: streaming causal dilated 1-D convolution, time-major.
/// Inputs: X [T, Cin], W [Cout, Cin/groups, K] (constant), optional B [Cout] (constant).
/// Attributes: <c>kernel</c> (K, defaults to W's last dim), <c>dilation</c> [1], <c>groups</c> [1], <c>activation</c>
/// (tanh, relu, sigmoid, elu or none; applied to the output, as on edge:Dense).
/// Output Y [T, Cout] with y[t] = act(b + Σ_k W[:, :, k] · x[t − d·(K−1−k)]) (tap K−1 is the current frame).
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
        if (!FrameActivation.Fusable(FrameActivation.Parse(node.GetString("activation", ""), $"{graph.Source}: {node.Describe()}"), out _))
            throw new ModelException($"{graph.Source}: {node.Describe()}: activation '{node.GetString("activation", "")}' cannot be fused into a convolution (use a separate activation node)");
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
        long scratch = d.K > 1 && !CausalConv1DKernel.PerFrame(d, graph.MaxFrames) && d.Cout > CausalConv1DKernel.TapConvMaxCout
            ? (long)d.Frames * d.Cin * d.K * sizeof(float) : 0;
        return new MemoryNeeds(scratch, hist == 0 ? 0 : ConvHistory.Bytes(d.Cin, hist, d.Frames));
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new CausalConv1DKernel(node, ctx);
}

/// <summary>Three paths, chosen when the session is created from the layer's shape and the frames per call it
/// was compiled for (never from the frames of a call, so a session's results do not depend on how the signal is
/// split): small convolutions (the RTNeural case: Cout ≤ 32 and Cin·K·Cout ≤ 4096) in graphs of fewer than
/// <see cref="BlockMinFrames"/> frames per call run frame by frame on <see cref="FrameDense"/>, reading the K taps
/// straight from the history buffer and applying the activation in registers; up to <see cref="TapConvMaxCout"/> output channels the taps accumulate in registers over the block
/// (<see cref="TapConvOp"/>, output channels along the lanes); wider ones gather taps and multiply the block at
/// once (<see cref="Im2ColConv"/>).</summary>
internal sealed unsafe class CausalConv1DKernel : OpKernel
{
    /// <summary>Output channels up to which the tap-accumulating kernel beats the packed GEMM.</summary>
    internal const int TapConvMaxCout = 64;

    private readonly Im2ColConv? _conv;   // wide Cout: one GEMM over gathered taps
    private readonly FrameDense? _frame;  // small layers: frame by frame, activation fused
    private readonly TapConvOp? _tap;     // up to TapConvMaxCout: taps accumulated in registers
    private readonly float* _x, _y, _a;
    private readonly int _cin, _cout, _hist;
    private readonly long _tapStride;
    private readonly bool _stateful;
    private readonly FrameActivationKind _act;
    private ConvHistory _hist0;

    /// <summary>Graphs compiled for at least this many frames per call run small layers on the block kernel
    /// (<see cref="TapConvOp"/>): measured here, conv16 k3 at 64 frames per call ran about 1.7x faster on it, while
    /// at one frame per call <see cref="FrameDense"/> was faster (conv8 k3 about 2.6x).</summary>
    internal const int BlockMinFrames = 8;

    internal static bool PerFrame(CausalConv1DOperator.Dims d, int maxFrames) =>
        d.Cout <= 32 && (long)d.Cin * d.K * d.Cout <= 4096 && maxFrames < BlockMinFrames;

    public CausalConv1DKernel(Node node, KernelContext ctx)
    {
        var d = CausalConv1DOperator.Check(node, ctx.Graph);
        _act = FrameActivation.Parse(node.GetString("activation", ""), node.Describe());
        FrameActivation.Fusable(_act, out var kind);
        var w = ctx.Input(1).ConstantFloats;
        var bias = node.HasInput(2) ? ctx.Input(2).ConstantFloats : default;
        _cin = d.Cin; _cout = d.Cout;
        _hist = (d.K - 1) * d.Dilation;
        _tapStride = (long)d.Dilation * d.Cin;
        if (PerFrame(d, ctx.Graph.MaxFrames))
        {
            // [Cout, Cin/groups, K] → [K][Cin][Cout] (grouped convs block-diagonal).
            int cig = d.Cin / d.Groups, cog = d.Cout / d.Groups;
            var taps = new float[d.K * d.Cin * d.Cout];
            for (int o = 0; o < d.Cout; o++)
                for (int j = 0; j < cig; j++)
                    for (int k = 0; k < d.K; k++)
                        taps[(k * d.Cin + o / cog * cig + j) * d.Cout + o] = w[(o * cig + j) * d.K + k];
            _frame = new FrameDense(d.Cin, d.Cout, d.K, taps, bias, kind, node.GetFloat("alpha", 1f));
        }
        else if (d.Cout <= TapConvMaxCout) _tap = new TapConvOp(w, bias, d.Cout, d.Cin, d.K, d.Dilation, d.Groups);
        else _conv = new Im2ColConv(w, bias, d.Cout, d.Cin, d.K, d.Dilation, d.Groups);
        _a = (float*)ctx.Scratch;
        _x = ctx.InF(0);
        _y = ctx.OutF(0);
        _stateful = _hist > 0;
        if (_stateful) _hist0 = new ConvHistory((float*)ctx.Persistent, d.Cin, _hist, d.Frames);
    }

    public override void Execute(int frames)
    {
        float* cur = _x;
        if (_stateful)
        {
            cur = _hist0.Begin(frames);
            long n = (long)frames * _cin * sizeof(float);
            Buffer.MemoryCopy(_x, cur, n, n);
        }
        if (_frame != null) _frame.Run(frames, cur - (long)_hist * _cin, _cin, _tapStride, _y, _cout);
        else
        {
            if (_tap != null) _tap.Run(frames, cur, _cin, null, 0, null, 0, _y, _cout);
            else _conv!.Run(frames, cur, null, _a, _y, _cout, false);
            FrameActivation.Apply(_act, _y, frames, _cout, 1f, null, 0);
        }
        if (_stateful) _hist0.End(frames);
    }

    public override void Reset()
    {
        if (_stateful) _hist0.Reset();
    }

    public override string KernelName => _frame != null ? $"causalconv1d.frame.{KernelPaths.Name(_frame.Path)}"
        : _tap != null ? "causalconv1d.tapconv" : "causalconv1d.im2col-gemm";
}
