namespace EdgeRuntime.Cli;

public static partial class Program
{
    static partial void RegisterCoreCommands(Action<ICommand> add)
    {
        add(new CompileCommand());
        add(new InfoCommand());
    }
}
