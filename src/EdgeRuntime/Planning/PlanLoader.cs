using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Planning;

/// <summary>One entry for the command line: a <c>.edge</c> file is read as a compiled plan, any other
/// model file is imported (<see cref="ModelLoader"/>) and compiled.</summary>
public static class PlanLoader
{
    public static bool IsPlanFile(string path) => string.Equals(Path.GetExtension(path), PlanFormat.Extension, StringComparison.OrdinalIgnoreCase);

    /// <param name="options">Compile options for model files. A plan is already compiled, so shape,
    /// frame and keep options are refused for it (recompile instead).</param>
    /// <param name="checkIsa">false to inspect a plan built for another machine.</param>
    public static Plan LoadAny(string path, CompileOptions? options = null, bool checkIsa = true)
    {
        if (IsPlanFile(path))
        {
            if (options is not null && (options.InputShapes.Count > 0 || options.FixedInputs.Count > 0 || options.ExtraOutputs.Count > 0 || options.MaxFrames is not null))
                throw new ModelException($"{path}: is a compiled plan; input shapes, frames and kept tensors are fixed at compile time (recompile the model with those options)");
            return PlanReader.Read(path, checkIsa);
        }
        var graph = ModelLoader.Load(path);
        return Compiler.Compile(graph, options);
    }
}
