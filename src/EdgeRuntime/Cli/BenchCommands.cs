namespace EdgeRuntime.Cli;

public static partial class Program
{
    static partial void RegisterBenchCommands(Action<ICommand> add)
    {
        add(new BenchCommand());
        add(new CompareCommand());
        add(new CalibrateCommand());
        add(new PredictCommand());
    }
}
