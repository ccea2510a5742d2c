namespace EdgeRuntime.Cli;

/// <summary>One <c>edgert</c> sub-command. Parsing is done by the command from <see cref="Args"/>.</summary>
public interface ICommand
{
    string Name { get; }
    /// <summary>One line for <c>edgert help</c>.</summary>
    string Summary { get; }
    /// <summary>Usage text for <c>edgert NAME --help</c>.</summary>
    string Usage { get; }
    int Run(Args args);
}
