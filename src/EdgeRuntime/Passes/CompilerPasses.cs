using EdgeRuntime.Ir;

namespace EdgeRuntime.Passes;

public static partial class Compiler
{
    /// <summary>The optimization pipeline, in order. Each pass keeps the graph topologically sorted
    /// with every shape known; dead-node removal runs after it in <see cref="Compile"/>.</summary>
    static partial void RunPasses(Graph graph)
    {
        QdqFolding.Run(graph);          // before constant folding, which would dequantize the weights
        ConstantFolding.Run(graph);
        BatchNormFolding.Run(graph);
        ActivationFusion.Run(graph);
    }
}
