using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Passes;
using EdgeRuntime.Realtime;

namespace EdgeRuntime.Cli;

public sealed partial class RunCommand
{
    /// <summary><c>edgert run MODEL --realtime</c>: claims the call only when --realtime is given.</summary>
    static partial void RunRealtime(Args args, ref int? rc)
    {
        if (!args.Flag("realtime")) return;
        string model = args.Pos(0) ?? throw new UsageException("say which model to run: edgert run MODEL --realtime");
        var o = RealtimeOptions.FromArgs(args, defaultSeconds: 0);
        int block = args.GetInt("block", 0);
        double rate = args.GetDouble("rate", 0);
        args.EnsureAllUsed();
        var graph = ModelLoader.Load(model);
        var options = new CompileOptions();
        if (block > 0) options.MaxFrames = block;
        else if (graph.Streaming && graph.MaxFrames <= 1) options.MaxFrames = 64;
        var plan = Compiler.Compile(graph, options);
        using var session = new Session(plan);
        var processor = new SessionBlockProcessor(session, rate > 0 ? rate : null);
        rc = RealtimeRunner.Run(processor, Path.GetFileName(model), o, Console.Out, Console.Error);
    }
}
