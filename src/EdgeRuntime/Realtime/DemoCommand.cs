using EdgeRuntime.Cli;
using EdgeRuntime.Execution;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Realtime;

/// <summary><c>edgert demo</c>: the embedded default model on a synthetic guitar signal, paced in real
/// time at 48 kHz in 64-sample blocks, with a live line per second and a summary.</summary>
public sealed class DemoCommand : ICommand
{
    public string Name => "demo";
    public string Summary => "run the embedded default model in real time on a synthetic guitar signal";
    public string Usage => "usage: edgert demo [options]\n" + RealtimeOptions.Help;

    public int Run(Args args)
    {
        var o = RealtimeOptions.FromArgs(args, defaultSeconds: 10);
        args.EnsureAllUsed();
        var graph = DemoModel.Load();
        var plan = Compiler.Compile(graph, new CompileOptions { MaxFrames = DemoModel.BlockFrames });
        using var session = new Session(plan);
        var processor = new SessionBlockProcessor(session, DemoModel.SampleRateHz);
        return RealtimeRunner.Run(processor, graph.Name, o, Console.Out, Console.Error);
    }
}
