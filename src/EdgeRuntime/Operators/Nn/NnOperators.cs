using EdgeRuntime.Operators.Nn;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterNn(Action<IOperator> add)
    {
        add(new GemmOperator());
        add(new MatMulOperator());
        add(new ConvOperator());
        add(new ConvTransposeOperator());
        add(new MaxPoolOperator());
        add(new AveragePoolOperator());
        add(new GlobalAveragePoolOperator());
        add(new GlobalMaxPoolOperator());
        add(new BatchNormalizationOperator());
    }
}
