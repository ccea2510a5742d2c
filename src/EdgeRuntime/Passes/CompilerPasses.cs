using EdgeRuntime.Ir;

namespace EdgeRuntime.Passes;

public static partial class Compiler
{
    /// <summary>The optimization pipeline, in order. Each pass keeps the graph topologically sorted
    /// with every shape known; dead-node removal runs after it in <see cref="Compile"/>.</summary>
    static partial void RunPasses(Graph graph)
    {
        ConstantFolding.Run(graph);
        BatchNormFolding.Run(graph);
        ActivationFusion.Run(graph);
    }
}
