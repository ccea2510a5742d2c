using EdgeRuntime.Ir;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert</c> entry point. Each area registers its commands in its own partial method.</summary>
public static partial class Program
{
    public static int Main(string[] argv)
    {
        var commands = Commands();
        if (argv.Length == 0 || argv[0] is "help" or "--help" or "-h")
        {
            PrintHelp(commands);
            return argv.Length == 0 ? 2 : 0;
        }
        if (argv[0] is "--version")
        {
            Console.WriteLine($"edgert {typeof(Program).Assembly.GetName().Version}");
            return 0;
        }
        if (!commands.TryGetValue(argv[0], out var cmd))
        {
            Console.Error.WriteLine($"edgert: unknown command '{argv[0]}'. Commands: {string.Join(", ", commands.Keys.Order())}");
            return 2;
        }
        if (argv.Skip(1).Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(cmd.Usage);
            return 0;
        }
        try
        {
            return cmd.Run(new Args(argv.Skip(1), KnownFlags));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"edgert {cmd.Name}: {e.Message}");
            Console.Error.WriteLine(cmd.Usage);
            return 2;
        }
        catch (ModelException e)
        {
            Console.Error.WriteLine($"edgert {cmd.Name}: error: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"edgert {cmd.Name}: I/O error: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"edgert {cmd.Name}: access denied: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not bad input: say so plainly, with where it happened, instead of a raw trace.
            Console.Error.WriteLine($"edgert {cmd.Name}: internal error ({e.GetType().Name}): {e.Message}");
            Console.Error.WriteLine(e.StackTrace?.Split('\n').FirstOrDefault()?.Trim());
            return 70;
        }
    }

    /// <summary>Options that never take a value, across all commands.</summary>
    public static readonly string[] KnownFlags =
    [
        "json", "markdown", "realtime", "ignore-rate", "measure", "no-optimize", "verbose", "quiet",
        "list", "all", "prewarm", "no-prewarm", "fast-tanh", "csv-header", "float",
    ];

    public static Dictionary<string, ICommand> Commands()
    {
        var d = new Dictionary<string, ICommand>(StringComparer.Ordinal);
        void Add(ICommand c) => d.Add(c.Name, c);
        RegisterCoreCommands(Add);
        RegisterConformanceCommands(Add);
        RegisterKernelCommands(Add);
        RegisterAudioCommands(Add);
        RegisterRealtimeCommands(Add);
        RegisterBenchCommands(Add);
        return d;
    }

    static partial void RegisterCoreCommands(Action<ICommand> add);
    static partial void RegisterConformanceCommands(Action<ICommand> add);
    static partial void RegisterKernelCommands(Action<ICommand> add);
    static partial void RegisterAudioCommands(Action<ICommand> add);
    static partial void RegisterRealtimeCommands(Action<ICommand> add);
    static partial void RegisterBenchCommands(Action<ICommand> add);

    private static void PrintHelp(Dictionary<string, ICommand> commands)
    {
        Console.WriteLine("edgert: real-time neural network runtime for small ARM boards");
        Console.WriteLine();
        Console.WriteLine("usage: edgert <command> [options]   (edgert <command> --help for details)");
        Console.WriteLine();
        foreach (var c in commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
            Console.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}
