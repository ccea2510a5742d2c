using EdgeRuntime.Ir;
using EdgeRuntime.Operators;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Passes;

public sealed class CompileOptions
{
    /// <summary>Override input shapes (for dynamic dims), by input name.</summary>
    public Dictionary<string, int[]> InputShapes { get; } = new(StringComparer.Ordinal);
    /// <summary>Bind inputs to fixed values (they become constants): used for shape-like inputs.</summary>
    public Dictionary<string, Tensor> FixedInputs { get; } = new(StringComparer.Ordinal);
    /// <summary>Extra tensors to keep as outputs (debugging, intermediate reference checks).</summary>
    public List<string> ExtraOutputs { get; } = new();
    /// <summary>Run the optimization passes (constant folding, fusion, dead-node removal).</summary>
    public bool Optimize { get; set; } = true;
    /// <summary>Frames per call for streaming graphs (overrides the importer's default).</summary>
    public int? MaxFrames { get; set; }
    public IArenaPlanner Planner { get; set; } = new GreedyBySizePlanner();
}

/// <summary>Graph → Plan: checks operators, binds shapes, infers shapes, optimizes, plans memory.</summary>
public static partial class Compiler
{
    public static Plan Compile(Graph graph, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        var unsupported = OperatorRegistry.Unsupported(graph);
        if (unsupported.Count > 0)
            throw new UnsupportedOperatorException(unsupported, graph.Source.Length > 0 ? graph.Source : graph.Name);

        if (options.MaxFrames is int mf)
        {
            if (mf < 1) throw new ModelException($"frames per call must be ≥ 1, got {mf}");
            graph.MaxFrames = mf;
        }
        foreach (var (name, shape) in options.InputShapes)
        {
            if (!graph.Inputs.Contains(name))
                throw new ModelException($"{graph.Source}: no input named '{name}' (inputs: {string.Join(", ", graph.Inputs)})");
            graph[name].Shape = shape;
        }
        foreach (var (name, value) in options.FixedInputs)
        {
            if (!graph.Inputs.Contains(name))
                throw new ModelException($"{graph.Source}: no input named '{name}' to fix");
            var t = graph[name];
            t.Constant = value.Constant;
            t.Shape = value.Shape;
            t.Type = value.Type;
            graph.Inputs.Remove(name);
        }
        foreach (var name in options.ExtraOutputs)
        {
            if (!graph.Tensors.ContainsKey(name))
                throw new ModelException($"{graph.Source}: no tensor named '{name}' to keep as an output");
            if (!graph.Outputs.Contains(name)) graph.Outputs.Add(name);
        }

        ShapeInference.Run(graph);
        if (options.Optimize)
        {
            Optimize(graph);
            ShapeInference.Run(graph);
        }
        RemoveDeadNodes(graph);
        var plan = MemoryPlanner.Build(graph, options.Planner);
        return plan;
    }

    /// <summary>Optimization passes (constant folding, BatchNorm folding, activation fusion...).
    /// Implemented in Passes/*.cs; each pass is one file.</summary>
    static partial void RunPasses(Graph graph);

    private static void Optimize(Graph graph) => RunPasses(graph);

    /// <summary>Drop nodes none of whose outputs reach a graph output, and unreferenced tensors.</summary>
    public static void RemoveDeadNodes(Graph graph)
    {
        var needed = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (node.Outputs.Any(needed.Contains))
                foreach (var s in node.Inputs) { if (s.Length > 0) needed.Add(s); }
            else
                graph.Nodes.RemoveAt(i);
        }
        foreach (var name in graph.Inputs) needed.Add(name);
        foreach (var name in graph.Tensors.Keys.ToList())
            if (!needed.Contains(name) && !graph.Nodes.Any(n => n.Outputs.Contains(name)))
                graph.Tensors.Remove(name);
    }
}
