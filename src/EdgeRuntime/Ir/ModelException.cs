namespace EdgeRuntime.Ir;

/// <summary>A problem with a model, a plan or the data given to it. Messages name the file, node or
/// tensor at fault; the command line prints them without a stack trace.</summary>
public class ModelException : Exception
{
    public ModelException(string message) : base(message) { }
    public ModelException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>One or more operators in a model have no implementation. Lists all of them at once.</summary>
public sealed class UnsupportedOperatorException : ModelException
{
    public UnsupportedOperatorException(IReadOnlyList<string> ops, string where)
        : base($"{where}: unsupported operator(s): {string.Join(", ", ops)}") => Operators = ops;
    public IReadOnlyList<string> Operators { get; }
}
