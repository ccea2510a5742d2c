using EdgeRuntime.Operators.Core;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterCore(Action<IOperator> add)
    {
        add(new IdentityOperator());
    }
}
