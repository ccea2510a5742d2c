using System.Text;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert run MODEL --input NAME=FILE(.bin|.npy) [--dump TENSOR]... [--output-dir DIR]
/// [--format npy|bin]</c>: raw little-endian or .npy tensors in; every output and every dumped
/// intermediate tensor written to DIR (default: current folder) as .npy (default) or raw .bin.</summary>
public sealed partial class RunCommand
{
    static partial void RunTensorFiles(Args args, ref int? rc)
    {
        var inputs = args.GetAll("input");
        if (inputs.Count == 0) return;
        string model = args.Pos(0) ?? throw new UsageException("name the model");
        var dumps = args.GetAll("dump");
        string outDir = args.Get("output-dir", ".");
        string format = args.Get("format", "npy");
        if (format is not ("npy" or "bin")) throw new UsageException($"--format must be npy or bin, got '{format}'");
        args.EnsureAllUsed();

        using var session = new Session(Load(model, dumps));
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in inputs)
        {
            int eq = spec.IndexOf('=');
            string name, file;
            if (eq > 0) { name = spec[..eq]; file = spec[(eq + 1)..]; }
            else if (session.Inputs.Count == 1) { name = session.Inputs[0].Name; file = spec; }
            else throw new UsageException($"--input needs NAME=FILE (inputs: {string.Join(", ", session.Inputs.Select(t => t.Name))})");
            int index = session.Inputs.ToList().FindIndex(t => t.Name == name);
            if (index < 0) throw new ModelException($"{model}: no input named '{name}' (inputs: {string.Join(", ", session.Inputs.Select(t => t.Name))})");
            var tensor = session.Inputs[index];
            byte[] data;
            if (file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                var (type, shape, bytes) = NpyFile.Read(file);
                if (type != tensor.Type)
                    throw new ModelException($"{file}: dtype {type.ShortName()} does not match input '{name}' ({tensor.Type.ShortName()})");
                if (shape.Aggregate(1L, (a, d) => a * d) != tensor.ElementCount)
                    throw new ModelException($"{file}: shape [{string.Join(",", shape)}] does not match input '{name}' [{string.Join(",", tensor.Shape)}]");
                data = bytes;
            }
            else data = File.ReadAllBytes(file);
            var dst = session.InputBytes(index);
            if (data.Length != dst.Length)
                throw new ModelException($"{file}: {data.Length} bytes, input '{name}' {tensor.Type.ShortName()}[{string.Join(",", tensor.Shape)}] needs {dst.Length}");
            data.CopyTo(dst);
            given.Add(name);
        }
        var missing = session.Inputs.Where(t => !given.Contains(t.Name)).Select(t => t.Name).ToList();
        if (missing.Count > 0) throw new ModelException($"{model}: no data for input(s) {string.Join(", ", missing)}");
        session.Run();

        Directory.CreateDirectory(outDir);
        foreach (var t in session.Outputs)
        {
            string path = Path.Combine(outDir, FileName(t.Name) + "." + format);
            var bytes = session.TensorBytes(t.Name);
            if (format == "npy") NpyFile.Write(path, t.Type, t.Shape, bytes);
            else File.WriteAllBytes(path, bytes.ToArray());
            Console.WriteLine($"{t.Name}: {t.Type.ShortName()}[{string.Join(",", t.Shape)}] -> {path}");
        }
        rc = 0;
    }

    /// <summary>A model file compiled with the dumped tensors kept as outputs, or a compiled plan
    /// (which must already keep them: <c>edgert compile --keep TENSOR</c>).</summary>
    private static Plan Load(string model, IReadOnlyList<string> dumps)
    {
        if (PlanLoader.IsPlanFile(model))
        {
            var plan = PlanReader.Read(model);
            foreach (var d in dumps)
                if (!plan.Graph.Outputs.Contains(d))
                    throw new ModelException($"{model}: compiled plans can only dump tensors kept at compile time; '{d}' is not an output of the plan (recompile with --keep {d})");
            return plan;
        }
        var graph = ModelLoader.Load(model);
        var options = new CompileOptions();
        foreach (var d in dumps)
        {
            if (!graph.Tensors.ContainsKey(d))
                throw new ModelException($"{model}: no tensor named '{d}' to dump (see the tensor names with 'edgert info')");
            options.ExtraOutputs.Add(d);
        }
        return Compiler.Compile(graph, options);
    }

    /// <summary>A tensor name as a file name: characters outside [A-Za-z0-9._-] become '_'.</summary>
    public static string FileName(string tensor)
    {
        var sb = new StringBuilder(tensor.Length);
        foreach (char c in tensor) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        return sb.Length == 0 ? "tensor" : sb.ToString();
    }
}
