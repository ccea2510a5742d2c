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
        // RTNeural importer (h/recurrent): fused dense, per-channel affine (batch norm), streaming Conv2D.
        add(new DenseOperator());
        add(new ChannelAffineOperator());
        add(new CausalConv2DOperator());
    }
}
