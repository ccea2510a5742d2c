using EdgeRuntime.Operators.Tflite;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterTflite(Action<IOperator> add)
    {
        add(new Conv2DOperator());
        add(new DepthwiseConv2DOperator());
        add(new FullyConnectedOperator());
        add(new AveragePool2DOperator());
        add(new SoftmaxOperator());
        add(new AddOperator());
        add(new ReshapeOperator());
        add(new QuantizeOperator());
        add(new DequantizeOperator());
    }
}
