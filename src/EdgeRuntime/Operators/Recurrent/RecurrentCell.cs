namespace EdgeRuntime.Operators.Recurrent;

/// <summary>The three ONNX recurrent cell types.</summary>
public enum RecurrentCell { Gru, Lstm, Rnn }
