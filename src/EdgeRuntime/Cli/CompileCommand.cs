using EdgeRuntime.Quantization;
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
                              [--isa native|portable] [--quantize int8 --calib DIR [--calib-method minmax|percentile] [--percentile P]]
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
        string calibMethod = args.Get("calib-method", "minmax");
        double percentile = args.GetDouble("percentile", 99.99);
        args.EnsureAllUsed();
        if (calib is not null && quantize is null) throw new UsageException("--calib is only used with --quantize int8");
        if (PlanLoader.IsPlanFile(model)) throw new ModelException($"{model}: is already a compiled plan");

        var sw = Stopwatch.StartNew();
        var graph = ModelLoader.Load(model);
        if (quantize is not null)
        {
            // Calibration runs the model: fixed input shapes apply first.
            foreach (var (name, shape) in options.InputShapes)
                if (graph.Inputs.Contains(name)) graph[name].Shape = shape;
            graph = Quantize(graph, quantize, calib, calibMethod, percentile);
        }
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

    /// <summary>Post-training int8 quantization with calibration inputs from a folder. Per-layer SNR of
    /// the int8 graph against the fp32 one is printed and kept in the plan's metadata, where
    /// <c>edgert info</c> shows it.</summary>
    private static Graph Quantize(Graph graph, string mode, string? calibDir, string method, double percentile)
    {
        if (mode != "int8") throw new UsageException($"--quantize supports only int8, got '{mode}'");
        if (calibDir is null) throw new UsageException("--quantize int8 needs calibration inputs: --calib DIR");
        var range = method switch
        {
            "minmax" => RangeMethod.MinMax,
            "percentile" => RangeMethod.Percentile,
            _ => throw new UsageException($"--calib-method expects minmax or percentile, got '{method}'"),
        };
        var q = Quantizer.Quantize(graph, new CalibrationOptions { Directory = calibDir, Method = range, Percentile = percentile }, out var report);
        Console.WriteLine($"quantized to int8 on {report.CalibrationInputs} calibration input(s), ranges by {report.RangeMethod}");
        for (int i = 0; i < report.Layers.Count; i++)
        {
            var l = report.Layers[i];
            string snr = double.IsInfinity(l.SnrDb) ? "exact" : $"{l.SnrDb:F1} dB";
            Console.WriteLine($"  {(l.Int8 ? "int8" : "fp32"),-5} {l.OpType,-24} {l.Node,-32} SNR {snr}");
            // Numbered keys keep the layer order in info (metadata is listed sorted by key).
            q.Metadata[$"quant.snr.{i:D3}"] = $"{(l.Int8 ? "int8" : "fp32")} {l.OpType} '{l.Node}' SNR {snr} vs fp32";
        }
        for (int i = 0; i < report.Notes.Count; i++)
        {
            Console.WriteLine($"  note: {report.Notes[i]}");
            q.Metadata[$"quant.note.{i:D2}"] = report.Notes[i];
        }
        q.Metadata["quant.calibration"] = $"{report.CalibrationInputs} input(s), {report.RangeMethod}";
        return q;
    }
}
