namespace EdgeRuntime.Operators.Recurrent;

/// <summary>Activation functions ONNX allows in GRU/LSTM/RNN.</summary>
public enum RecurrentActivationKind { Sigmoid, Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus }
