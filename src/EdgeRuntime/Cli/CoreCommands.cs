using EdgeRuntime.Conformance;

namespace EdgeRuntime.Cli;

public static partial class Program
{
    static partial void RegisterConformanceCommands(Action<ICommand> add)
    {
        add(new ConformanceCommand());
        add(new RunCommand());
    }
}
