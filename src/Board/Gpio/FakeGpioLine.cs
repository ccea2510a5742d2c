namespace EdgeRuntime.Board.Gpio;

/// <summary>A GPIO line in memory: counts rising/falling edges and remembers the level (tests, dry runs).</summary>
public sealed class FakeGpioLine : IGpioLine
{
    public string Description => "fake gpio line";
    public bool High { get; private set; }
    public long Rises { get; private set; }
    public long Falls { get; private set; }
    /// <summary>Times Set was called with the level the line already had.</summary>
    public long Redundant { get; private set; }
    public bool Disposed { get; private set; }

    public void Set(bool high)
    {
        if (high == High) { Redundant++; return; }
        if (high) Rises++; else Falls++;
        High = high;
    }

    public void Dispose() => Disposed = true;
}
