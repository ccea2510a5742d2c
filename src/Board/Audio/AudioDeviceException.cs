namespace EdgeRuntime.Board.Audio;

/// <summary>An audio device or library is missing or refused the configuration; the message says which.</summary>
public sealed class AudioDeviceException(string message) : IOException(message);
