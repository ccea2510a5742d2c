using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Streaming;

/// <summary>Helpers shared by the frame-wise (time-major [T, C]) edge operators.</summary>
public static class FrameShape
{
    /// <summary>Require a rank-2 float [T, C] tensor; returns C.</summary>
    public static int Channels(Graph graph, Node node, int input)
    {
        var t = graph[node.Inputs[input]];
        if (t.Type != DataType.Float32) throw new ModelException($"{graph.Source}: {node.Describe()}: '{t.Name}' must be float32, got {t.Type}");
        if (t.Shape.Length != 2) throw new ModelException($"{graph.Source}: {node.Describe()}: '{t.Name}' must be time-major [T, C], got [{string.Join(",", t.Shape)}]");
        return t.Shape[1];
    }

    /// <summary>Rows to process: the call's frames in streaming graphs, else the whole tensor.</summary>
    public static int Rows(KernelContext ctx, int frames) => ctx.Graph.Streaming ? frames : ctx.Input(0).Shape[0];
}
