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
        add(new DenseOperator());
        add(new FrameActivationOperator());
        add(new ChannelAffineOperator());
        add(new SumOperator());
        add(new CausalConv2DOperator());
    }
}
