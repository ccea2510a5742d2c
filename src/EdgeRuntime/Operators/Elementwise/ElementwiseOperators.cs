using EdgeRuntime.Operators.Elementwise;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterElementwise(Action<IOperator> add)
    {
        add(new BinaryOperator("Add", BinaryKind.Add));
        add(new BinaryOperator("Sub", BinaryKind.Sub));
        add(new BinaryOperator("Mul", BinaryKind.Mul));
        add(new BinaryOperator("Div", BinaryKind.Div));
        add(new BinaryOperator("Max", BinaryKind.Max));
        add(new BinaryOperator("Min", BinaryKind.Min));
        add(new BinaryOperator("PRelu", BinaryKind.PRelu));
        add(new PowOperator());
        add(new WhereOperator());
        add(new ClipOperator());
        add(new CastOperator());
        add(new SoftmaxOperator("Softmax", log: false));
        add(new SoftmaxOperator("LogSoftmax", log: true));
        add(new ReduceMeanOperator());
        foreach (var kind in Enum.GetValues<UnaryKind>())
            add(new UnaryOperator(kind.ToString(), kind));
    }
}
