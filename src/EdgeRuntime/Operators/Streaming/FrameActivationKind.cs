namespace EdgeRuntime.Operators.Streaming;

/// <summary>Activation applied row by row to [T, C] frames: tanh, sigmoid (vectorized gate math),
/// relu, elu, softmax (over C), prelu (per-channel or shared slope), or none.</summary>
public enum FrameActivationKind { None, Tanh, Relu, Sigmoid, Softmax, Elu, PRelu }
