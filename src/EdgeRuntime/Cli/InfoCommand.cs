using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert info MODEL|PLAN [--json]</c>: what a compiled model is and costs.</summary>
public sealed class InfoCommand : ICommand
{
    public string Name => "info";
    public string Summary => "show a model's or plan's ops, shapes, MACs, parameters, arena vs lower bound, kernels";
    public string Usage => $"""
        usage: edgert info MODEL|PLAN.edge [--json] {ModelOptions.Usage}
          MODEL is compiled first (the options apply); a .edge plan is read as compiled.
        """;

    public int Run(Args args)
    {
        if (args.Positional.Count != 1) throw new UsageException(args.Positional.Count == 0 ? "give a MODEL or PLAN.edge" : $"expected one model, got: {string.Join(" ", args.Positional)}");
        string path = args.Positional[0];
        bool json = args.Flag("json");
        var options = ModelOptions.Parse(args);
        args.EnsureAllUsed();
        var report = Build(path, options);
        if (json) Console.WriteLine(JsonSerializer.Serialize(report, PlanJsonContext.Default.InfoReport));
        else Print(report);
        return 0;
    }

    public static InfoReport Build(string path, CompileOptions options)
    {
        var sw = Stopwatch.StartNew();
        var plan = PlanLoader.LoadAny(path, ModelOptions.Any(options) ? options : null, checkIsa: false);
        double loadMs = sw.Elapsed.TotalMilliseconds;
        var g = plan.Graph;
        // Kernel names come from a real session (the kernels chosen on this machine). A plan whose
        // ISA this machine lacks can still be described, without kernels.
        string[] kernels;
        if (IsaFeatures.Missing(plan.RequiredIsa).Count == 0)
        {
            using var s = new Session(plan);
            kernels = s.Kernels.Select(k => k.KernelName).ToArray();
        }
        else kernels = g.Nodes.Select(_ => "(not on this machine)").ToArray();

        InfoTensor T(string name) => new(name, g[name].Type.ShortName(), g[name].Shape, g[name].ByteSize);
        string S(string name) => name.Length == 0 ? "-" : g.TryGet(name, out var t) ? $"{t.Type.ShortName()}[{string.Join(",", t.Shape)}]" : "?";
        var ops = g.Nodes.Select((n, i) => new InfoOperator(
            i, OpName(n), n.Name, n.Inputs.ToArray(), n.Inputs.Select(S).ToArray(), n.Outputs.ToArray(), n.Outputs.Select(S).ToArray(),
            CostModel.Macs(n, g), CostModel.Params(n, g), plan.ScratchBytes[i], plan.PersistentBytes[i], kernels[i],
            n.Has(FusedActivation.AttributeName) ? n.GetString(FusedActivation.AttributeName, "") : null)).ToArray();
        return new InfoReport
        {
            Model = path,
            Format = g.Format == "edge" ? $"edge (compiled from {g.Metadata.GetValueOrDefault("compiled_format", "?")})" : g.Format,
            GraphName = g.Name,
            ArenaBytes = plan.ArenaBytes,
            ArenaLowerBoundBytes = plan.ArenaLowerBoundBytes,
            WeightsBytes = plan.WeightsBytes,
            ScratchBytes = plan.MaxScratchBytes,
            PersistentBytes = plan.PersistentTotalBytes,
            TotalNativeBytes = plan.TotalNativeBytes,
            Macs = CostModel.TotalMacs(g),
            Params = CostModel.TotalParams(g),
            Planner = plan.PlannerName,
            RequiredIsa = plan.RequiredIsa.ToArray(),
            MachineIsa = IsaFeatures.Current().ToArray(),
            Streaming = g.Streaming,
            MaxFrames = g.MaxFrames,
            SampleRate = g.SampleRate,
            Metadata = new Dictionary<string, string>(g.Metadata),
            LoadMillis = Math.Round(loadMs, 3),
            Inputs = g.Inputs.Where(n => !g[n].IsConstant).Select(T).ToArray(),
            Outputs = g.Outputs.Select(T).ToArray(),
            Operators = ops,
        };
    }

    private static string OpName(Node n) => n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}:{n.OpType}";

    private static string Bytes(long b) => b switch
    {
        < 1024 => $"{b} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{b:N0} B ({b / 1024.0:F1} KiB)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{b:N0} B ({b / (1024.0 * 1024):F2} MiB)"),
    };

    private static void Print(InfoReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"model      {r.Model}");
        Console.WriteLine($"format     {r.Format}   graph '{r.GraphName}'   loaded+compiled in {r.LoadMillis.ToString("F1", inv)} ms");
        foreach (var t in r.Inputs) Console.WriteLine($"input      {t.Name}: {t.Type}[{string.Join(",", t.Shape)}]");
        foreach (var t in r.Outputs) Console.WriteLine($"output     {t.Name}: {t.Type}[{string.Join(",", t.Shape)}]");
        Console.WriteLine(r.Streaming
            ? $"streaming  yes: axis 0 is time, up to {r.MaxFrames} frames per call{(r.SampleRate is double sr ? $", {sr.ToString(inv)} Hz" : "")}"
            : $"streaming  no{(r.SampleRate is double sr2 ? $" ({sr2.ToString(inv)} Hz)" : "")}");
        foreach (var (k, v) in r.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Console.WriteLine($"meta       {k} = {v}");
        Console.WriteLine();
        int wOp = Math.Max(8, r.Operators.Select(o => o.OpType.Length).DefaultIfEmpty(0).Max());
        int wName = Math.Min(28, Math.Max(4, r.Operators.Select(o => o.Name.Length).DefaultIfEmpty(0).Max()));
        Console.WriteLine($"{"#",4}  {"op".PadRight(wOp)}  {"name".PadRight(wName)}  {"MACs",13}  {"params",10}  {"kernel",-22}  inputs -> outputs");
        foreach (var o in r.Operators)
        {
            string name = o.Name.Length > wName ? o.Name[..(wName - 1)] + "…" : o.Name;
            string io = $"{string.Join(" ", o.InputShapes)} -> {string.Join(" ", o.OutputShapes)}";
            string extra = (o.FusedActivation is null ? "" : $"  +{o.FusedActivation}")
                + (o.ScratchBytes > 0 ? $"  scratch {o.ScratchBytes:N0} B" : "")
                + (o.PersistentBytes > 0 ? $"  state {o.PersistentBytes:N0} B" : "");
            Console.WriteLine($"{o.Index,4}  {o.OpType.PadRight(wOp)}  {name.PadRight(wName)}  {o.Macs,13:N0}  {o.Params,10:N0}  {o.Kernel,-22}  {io}{extra}");
        }
        Console.WriteLine();
        Console.WriteLine($"ops            {r.Operators.Length}");
        Console.WriteLine($"MACs           {r.Macs:N0}{(r.Streaming ? $" per call of {r.MaxFrames} frames" : "")}");
        Console.WriteLine($"params         {r.Params:N0}");
        Console.WriteLine($"weights        {Bytes(r.WeightsBytes)}");
        double ratio = r.ArenaLowerBoundBytes == 0 ? 1 : (double)r.ArenaBytes / r.ArenaLowerBoundBytes;
        Console.WriteLine($"arena          {Bytes(r.ArenaBytes)}   lower bound {Bytes(r.ArenaLowerBoundBytes)}   ({ratio.ToString("F3", inv)}x, planner {r.Planner})");
        Console.WriteLine($"scratch        {Bytes(r.ScratchBytes)} (largest per-op block, inside the arena)");
        Console.WriteLine($"persistent     {Bytes(r.PersistentBytes)} (streaming state)");
        Console.WriteLine($"session total  {Bytes(r.TotalNativeBytes)} (weights + persistent + arena)");
        Console.WriteLine($"plan requires  {IsaFeatures.Describe(r.RequiredIsa)}   (this machine: {IsaFeatures.Describe(r.MachineIsa)})");
    }
}
