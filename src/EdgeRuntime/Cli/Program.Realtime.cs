using EdgeRuntime.Realtime;
using EdgeRuntime.Realtime.Monitor;

namespace EdgeRuntime.Cli;

public static partial class Program
{
    static partial void RegisterRealtimeCommands(Action<ICommand> add)
    {
        add(new DemoCommand());
        add(new MonitorCommand());
    }
}
