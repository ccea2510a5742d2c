using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>ONNX GRU, LSTM and RNN (all directions, both layouts, clip, activations,
/// linear_before_reset, peepholes, initial states, optional outputs), plus time-major edge-domain
/// variants (<c>edge:GRU</c>, <c>edge:LSTM</c>, <c>edge:RNN</c>: X [T, I] → Y [T, H]) used by the
/// RTNeural importer. In streaming graphs the hidden (and cell) state lives in persistent memory and
/// carries across calls; constant initial_h/initial_c seed it on Reset.</summary>
public sealed class RecurrentOperator : IOperator
{
    public RecurrentOperator(RecurrentCell cell, bool flat)
    {
        Cell = cell;
        Flat = flat;
        string name = cell switch { RecurrentCell.Gru => "GRU", RecurrentCell.Lstm => "LSTM", _ => "RNN" };
        OpType = flat ? "edge:" + name : name;
    }

    public RecurrentCell Cell { get; }
    public bool Flat { get; }
    public string OpType { get; }

    public void InferShapes(Node node, Graph graph)
    {
        var s = RecurrentSpec.Parse(node, graph, Cell, Flat);
        int[] y = Flat ? [s.Seq, s.Hidden]
            : s.Layout == 0 ? [s.Seq, s.Directions, s.Batch, s.Hidden] : [s.Batch, s.Seq, s.Directions, s.Hidden];
        int[] state = s.Layout == 0 ? [s.Directions, s.Batch, s.Hidden] : [s.Batch, s.Directions, s.Hidden];
        int outs = Cell == RecurrentCell.Lstm ? 3 : 2;
        if (node.Outputs.Count > outs) throw new ModelException($"{graph.Source}: {node.Describe()}: at most {outs} outputs");
        if (node.Outputs.Count > 0 && node.Outputs[0].Length > 0) ShapeInference.SetOutput(graph, node, 0, DataType.Float32, y);
        if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0) ShapeInference.SetOutput(graph, node, 1, DataType.Float32, state);
        if (node.Outputs.Count > 2 && node.Outputs[2].Length > 0) ShapeInference.SetOutput(graph, node, 2, DataType.Float32, (int[])state.Clone());
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var s = RecurrentSpec.Parse(node, graph, Cell, Flat);
        if (RecurrentCellKernel.Applies(s, node, graph))
            return s.Streaming ? new MemoryNeeds(0, RecurrentCellKernel.StateFloats(s) * 4L) : new MemoryNeeds(RecurrentCellKernel.StateFloats(s) * 4L, 0);
        return new MemoryNeeds(RecurrentKernel.ScratchFloats(s, node, graph) * 4L, RecurrentKernel.PersistentFloats(s) * 4L);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var s = RecurrentSpec.Parse(node, ctx.Graph, Cell, Flat);
        return RecurrentCellKernel.Applies(s, node, ctx.Graph) ? new RecurrentCellKernel(s, ctx) : new RecurrentKernel(s, ctx);
    }
}
