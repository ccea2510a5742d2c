namespace EdgeRuntime.Cli;

public static partial class Program
{
    // `edgert bench kernels` is wired by the bench command's owner to Bench.KernelBench.Run(args).
    static partial void RegisterKernelCommands(Action<ICommand> add) => add(new SelftestCommand());
}
