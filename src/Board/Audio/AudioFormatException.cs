namespace EdgeRuntime.Board.Audio;

/// <summary>An audio file that is corrupt, truncated or in an encoding we do not read. The message
/// names the file and what is wrong; callers print it without a stack trace.</summary>
public sealed class AudioFormatException : Exception
{
    public AudioFormatException(string message) : base(message) { }
    public AudioFormatException(string message, Exception inner) : base(message, inner) { }
}
