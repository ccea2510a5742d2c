using EdgeRuntime.Operators.Quantized;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterQuantized(Action<IOperator> add)
    {
        add(new QuantizeLinearOperator());
        add(new DequantizeLinearOperator());
        add(new DynamicQuantizeLinearOperator());
        add(new MatMulIntegerOperator());
        add(new QLinearMatMulOperator());
        add(new ConvIntegerOperator());
        add(new QLinearConvOperator());
        add(new QGemmOperator());
        add(new QLinearAddOperator());
        add(new QLinearAveragePoolOperator());
        add(new QLinearGlobalAveragePoolOperator());
        add(new LookupTableOperator());
    }
}
