using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Passes;
using EdgeRuntime.Planning;
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
        double? sampleRate = rate > 0 ? rate : null;
        if (PlanLoader.IsPlanFile(model))
        {
            // A compiled plan: its block size (max frames) was fixed by `edgert compile --frames N`.
            var plan = PlanReader.Read(model);
            if (block > 0 && plan.Graph.Streaming && block != plan.Graph.MaxFrames)
                throw new UsageException($"{model} was compiled for blocks of {plan.Graph.MaxFrames} frames; recompile with --frames {block} or drop --block");
            using var planSession = new Session(plan);
            if (plan.Graph.Streaming)
            {
                using var planStream = new StreamingSession(planSession);
                rc = RealtimeRunner.Run(new StreamingBlockProcessor(planStream, sampleRate), Path.GetFileName(model), o, Console.Out, Console.Error);
            }
            else rc = RealtimeRunner.Run(new SessionBlockProcessor(planSession, sampleRate), Path.GetFileName(model), o, Console.Out, Console.Error);
            return;
        }
        var graph = ModelLoader.Load(model);
        if (graph.Streaming)
        {
            // Streaming audio model: blocks of --block frames (default 64).
            using var stream = new StreamingSession(graph, block > 0 ? block : 64);
            rc = RealtimeRunner.Run(new StreamingBlockProcessor(stream, sampleRate), Path.GetFileName(model), o, Console.Out, Console.Error);
            return;
        }
        // Fixed-shape model: one run per block of its whole (mono) input.
        using var session = new Session(Compiler.Compile(graph));
        rc = RealtimeRunner.Run(new SessionBlockProcessor(session, sampleRate), Path.GetFileName(model), o, Console.Out, Console.Error);
    }
}
