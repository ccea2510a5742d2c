using System.Diagnostics;
using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert compile MODEL -o PLAN.edge</c>: import, optimize, plan memory and write the plan file.</summary>
public sealed class CompileCommand : ICommand
{
    public string Name => "compile";
    public string Summary => "compile a model into a .edge plan file (optimized graph, packed weights, arena plan)";
    public string Usage => $"""
        usage: edgert compile MODEL -o PLAN.edge {ModelOptions.Usage}
                              [--isa native|portable] [--quantize int8 --calib DIR]
          --isa native     record the ISA features the chosen kernels use here (default); the plan
                           then refuses to load on a machine without them
          --isa portable   record none
          --quantize int8  post-training int8 quantization with calibration inputs from DIR
        """;

    public int Run(Args args)
    {
        var pos = args.Positional.ToList();
        string? output = args.Get("output") ?? args.Get("o");
        int oi = pos.IndexOf("-o");
        if (oi >= 0)
        {
            if (oi + 1 >= pos.Count) throw new UsageException("-o needs a file name");
            output = pos[oi + 1];
            pos.RemoveRange(oi, 2);
        }
        if (pos.Count != 1) throw new UsageException(pos.Count == 0 ? "give a MODEL" : $"expected one MODEL, got: {string.Join(" ", pos)}");
        string model = pos[0];
        if (output is null) throw new UsageException("give the plan file to write: -o PLAN.edge");
        if (!output.EndsWith(PlanFormat.Extension, StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"the plan file name must end in {PlanFormat.Extension}: {output}");
        var options = ModelOptions.Parse(args);
        string isa = args.Get("isa", "native");
        if (isa is not ("native" or "portable")) throw new UsageException($"--isa expects native or portable, got '{isa}'");
        string? quantize = args.Get("quantize");
        string? calib = args.Get("calib");
        args.EnsureAllUsed();
        if (calib is not null && quantize is null) throw new UsageException("--calib is only used with --quantize int8");
        if (PlanLoader.IsPlanFile(model)) throw new ModelException($"{model}: is already a compiled plan");

        var sw = Stopwatch.StartNew();
        var graph = ModelLoader.Load(model);
        if (quantize is not null) Quantize(graph, quantize, calib);
        var plan = Compiler.Compile(graph, options);
        var required = isa == "portable" ? new List<string>() : PlanWriter.InferRequiredIsa(plan);
        PlanWriter.Write(plan, output, required);
        sw.Stop();
        long size = new FileInfo(output).Length;
        Console.WriteLine($"wrote {output} ({size:N0} bytes) in {sw.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"  {plan.Graph.Nodes.Count} ops, {CostModel.TotalMacs(plan.Graph):N0} MACs, {CostModel.TotalParams(plan.Graph):N0} params");
        Console.WriteLine($"  arena {plan.ArenaBytes:N0} bytes (lower bound {plan.ArenaLowerBoundBytes:N0}), weights {plan.WeightsBytes:N0} bytes, persistent {plan.PersistentTotalBytes:N0} bytes");
        Console.WriteLine($"  requires: {IsaFeatures.Describe(required)}");
        return 0;
    }

    /// <summary>WIRING POINT for post-training quantization (h/tflite's <c>Quantizer.Quantize</c>):
    /// replace the body with the call, e.g. <c>graph = Quantizer.Quantize(graph, calibDir, ...)</c>,
    /// once it lands. Until then <c>--quantize</c> is refused rather than silently ignored.</summary>
    private static void Quantize(Graph graph, string mode, string? calibDir)
    {
        if (mode != "int8") throw new UsageException($"--quantize supports only int8, got '{mode}'");
        if (calibDir is null) throw new UsageException("--quantize int8 needs calibration inputs: --calib DIR");
        throw new ModelException("--quantize int8 is not available in this build (the quantizer is not wired into compile yet)");
    }
}
