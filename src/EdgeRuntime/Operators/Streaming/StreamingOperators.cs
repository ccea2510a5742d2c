using EdgeRuntime.Operators.Streaming;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterStreaming(Action<IOperator> add)
    {
        add(new CausalConv1DOperator());
        add(new WaveNetLayerOperator());
        add(new NamLstmOperator());
        add(new ActivationOperator());
    }
}
