namespace EdgeRuntime.Board.Gpio;

/// <summary>The GPIO chip or line is absent, busy or not permitted; the message says which and why.</summary>
public sealed class GpioException(string message) : IOException(message);
