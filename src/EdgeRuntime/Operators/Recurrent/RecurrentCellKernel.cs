using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Recurrent;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>The common recurrent case — one forward direction, batch 1, default activations, no clip, no peepholes or
/// input_forget, GRU with linear_before_reset = 1, constant weights, no sequence_lens: every RTNeural and NAM recurrent
/// layer — on the kernel library's cells (<see cref="GruCell"/>, <see cref="LstmCell"/>): weights packed once here,
/// a latency-optimized step per frame, h (and c) in the persistent region for streaming graphs (seeded from
/// initial_h / initial_c on Reset), in scratch and reseeded on every call otherwise. X and Y rows are consecutive for
/// batch 1 in either layout (and in the time-major edge variant); Y_h / Y_c are copied from the state at the end.</summary>
internal sealed unsafe class RecurrentCellKernel : OpKernel
{
    private readonly GruCell? _gru;
    private readonly LstmCell? _lstm;
    private readonly float* _x, _y, _yh, _yc, _initH, _initC, _state;
    private readonly int _in, _h, _seq;
    private readonly bool _streaming;

    /// <summary>True when <paramref name="node"/> runs here rather than on <see cref="RecurrentKernel"/> (decided
    /// from the graph alone, so the planner's memory needs and the kernel agree).</summary>
    public static bool Applies(RecurrentSpec s, Node node, Graph graph)
    {
        var a = s.Activations[0];
        bool defaults = s.Cell switch
        {
            RecurrentCell.Gru => a[0].Kind == RecurrentActivationKind.Sigmoid && a[1].Kind == RecurrentActivationKind.Tanh && s.LinearBeforeReset,
            RecurrentCell.Lstm => a[0].Kind == RecurrentActivationKind.Sigmoid && a[1].Kind == RecurrentActivationKind.Tanh
                && a[2].Kind == RecurrentActivationKind.Tanh && !s.InputForget && !node.HasInput(7),
            _ => false,
        };
        return defaults && s.Directions == 1 && !s.Reverse && s.Batch == 1 && s.Clip == 0 && !node.HasInput(4)
            && graph[node.Inputs[1]].IsConstant && graph[node.Inputs[2]].IsConstant && (!node.HasInput(3) || graph[node.Inputs[3]].IsConstant);
    }

    /// <summary>Floats of cell state (an upper bound over every kernel path).</summary>
    public static long StateFloats(RecurrentSpec s) => s.Cell == RecurrentCell.Gru ? GruCell.StateFloatsFor(s.Hidden) : LstmCell.StateFloatsFor(s.Hidden);

    public RecurrentCellKernel(RecurrentSpec s, KernelContext ctx)
    {
        var node = ctx.Node;
        _in = s.InputSize; _h = s.Hidden; _seq = s.Seq; _streaming = s.Streaming;
        int gh = s.Gates * s.Hidden;
        _x = ctx.InF(0);
        _initH = node.HasInput(5) ? ctx.InF(5) : null;
        _initC = s.Cell == RecurrentCell.Lstm && node.HasInput(6) ? ctx.InF(6) : null;
        _y = node.Outputs.Count > 0 && node.Outputs[0].Length > 0 ? ctx.OutF(0) : null;
        _yh = node.Outputs.Count > 1 && node.Outputs[1].Length > 0 ? ctx.OutF(1) : null;
        _yc = node.Outputs.Count > 2 && node.Outputs[2].Length > 0 ? ctx.OutF(2) : null;
        _state = _streaming ? (float*)ctx.Persistent : (float*)ctx.Scratch;
        var w = ctx.Input(1).ConstantFloats;
        var r = ctx.Input(2).ConstantFloats;
        ReadOnlySpan<float> b = node.HasInput(3) ? ctx.Input(3).ConstantFloats : default;
        ReadOnlySpan<float> wb = b.IsEmpty ? default : b[..gh], rb = b.IsEmpty ? default : b[gh..(2 * gh)];
        if (s.Cell == RecurrentCell.Gru) _gru = new GruCell(_in, _h, w, r, wb, rb);
        else _lstm = new LstmCell(_in, _h, w, r, wb, rb);
    }

    public override string KernelName => _gru != null ? $"gru.cell.{KernelPaths.Name(_gru.Path)}" : $"lstm.cell.{KernelPaths.Name(_lstm!.Path)}";

    public override void Reset()
    {
        if (_streaming) ResetState();
    }

    private void ResetState()
    {
        if (_gru != null) _gru.ResetState(_state, _initH);
        else _lstm!.ResetState(_state, _initH, _initC);
    }

    public override void Execute(int frames)
    {
        if (!_streaming)
        {
            ResetState();
            frames = _seq;
        }
        if (_gru != null)
        {
            _gru.Run(frames, _x, _in, _y, _h, _state);
            if (_yh != null) Buffer.MemoryCopy(GruCell.HiddenState(_state), _yh, _h * 4L, _h * 4L);
            return;
        }
        _lstm!.Run(frames, _x, _in, _y, _h, _state);
        if (_yh != null) Buffer.MemoryCopy(LstmCell.HiddenState(_state), _yh, _h * 4L, _h * 4L);
        if (_yc != null) Buffer.MemoryCopy(_lstm.CellState(_state), _yc, _h * 4L, _h * 4L);
    }
}
