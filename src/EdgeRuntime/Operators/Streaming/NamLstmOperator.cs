using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Recurrent;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:NamLstm</c>: one LSTM layer as NAM stores it, streaming, one frame at a time.
/// Inputs: X [T, I]; W [4H, I+H] row-major, gate blocks i, f, g, o, columns [x, h]; b [4H]
/// (bias_ih + bias_hh); h0 [H]; c0 [H] (the state after Reset). Output Y [T, H] (the new h per frame).
/// g = W·[x; h] + b; c = σ(g_f)⊙c + σ(g_i)⊙tanh(g_g); h = σ(g_o)⊙tanh(c). Runs on the kernel library's
/// <see cref="LstmCell"/> (weights reordered to ONNX gate order and packed at kernel creation; tanh and sigmoid as
/// <see cref="EdgeRuntime.Kernels.Activations.ActivationMath"/> states them).</summary>
public sealed class NamLstmOperator : IOperator
{
    public string OpType => "edge:NamLstm";

    internal static (int T, int I, int H) Check(Node node, Graph graph)
    {
        string where = $"{graph.Source}: {node.Describe()}";
        if (node.Inputs.Count != 5) throw new ModelException($"{where}: expects inputs X, W, b, h0, c0");
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        if (x.Shape.Length != 2 || w.Shape.Length != 2 || w.Shape[0] % 4 != 0)
            throw new ModelException($"{where}: X must be [T, I] and W [4H, I+H]");
        int t = x.Shape[0], i = x.Shape[1], h = w.Shape[0] / 4;
        if (w.Shape[1] != i + h) throw new ModelException($"{where}: W [{string.Join(",", w.Shape)}] does not fit I={i}, H={h}");
        int[] counts = [4 * h * (i + h), 4 * h, h, h];
        for (int k = 1; k < 5; k++)
        {
            var c = graph[node.Inputs[k]];
            if (!c.IsConstant || c.Type != DataType.Float32 || c.ElementCount != counts[k - 1])
                throw new ModelException($"{where}: input '{c.Name}' must be a float32 constant of {counts[k - 1]} values");
        }
        return (t, i, h);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var (t, _, h) = Check(node, graph);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [t, h]);
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var (_, _, h) = Check(node, graph);
        return new MemoryNeeds(0, (long)LstmCell.StateFloatsFor(h) * sizeof(float));
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new NamLstmKernel(node, ctx);
}

internal sealed unsafe class NamLstmKernel : OpKernel
{
    private readonly int _i, _h;
    private readonly float* _x, _y, _h0, _c0, _state;
    private readonly LstmCell _cell;

    public NamLstmKernel(Node node, KernelContext ctx)
    {
        (_, _i, _h) = NamLstmOperator.Check(node, ctx.Graph);
        int ni = _i, nh = _h;
        _x = ctx.InF(0); _h0 = ctx.InF(3); _c0 = ctx.InF(4);
        _y = ctx.OutF(0);
        _state = (float*)ctx.Persistent;
        // NAM: W [4H, I+H], gates i, f, g, o, columns [x | h]; ONNX (the cell's layout): W [4H, I], R [4H, H], gates i, o, f, c.
        var wf = ctx.Input(1).ConstantFloats;
        var bf = ctx.Input(2).ConstantFloats;
        var w = new float[4 * nh * ni];
        var r = new float[4 * nh * nh];
        var b = new float[4 * nh];
        int[] namGate = [0, 3, 1, 2]; // ONNX gate → NAM gate
        for (int g = 0; g < 4; g++)
            for (int j = 0; j < nh; j++)
            {
                int src = namGate[g] * nh + j, dst = g * nh + j;
                for (int k = 0; k < ni; k++) w[dst * ni + k] = wf[src * (ni + nh) + k];
                for (int k = 0; k < nh; k++) r[dst * nh + k] = wf[src * (ni + nh) + ni + k];
                b[dst] = bf[src];
            }
        _cell = new LstmCell(ni, nh, w, r, b, default);
    }

    public override void Execute(int frames) => _cell.Run(frames, _x, _i, _y, _h, _state);

    public override void Reset() => _cell.ResetState(_state, _h0, _c0);

    public override string KernelName => $"nam-lstm.cell.{KernelPaths.Name(_cell.Path)}";
}
