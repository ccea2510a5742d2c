namespace EdgeRuntime.Board.Gpio;

/// <summary>One output line used as a timing marker (high during each inference). <see cref="Set"/>
/// is called on the real-time thread: it must not allocate or block.</summary>
public interface IGpioLine : IDisposable
{
    string Description { get; }
    void Set(bool high);
}
