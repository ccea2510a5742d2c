namespace EdgeRuntime.Board.Thermal;

/// <summary>One reading of the board's condition; null where the system does not expose a value.</summary>
public sealed record BoardState(
    double? TempC,
    double? FreqMhz,
    string? Governor,
    uint? Throttled,
    double? Load1)
{
    /// <summary>Raspberry Pi firmware throttling bits (get_throttled), as words.</summary>
    public static string DescribeThrottled(uint flags)
    {
        if (flags == 0) return "none";
        var parts = new List<string>();
        if ((flags & 0x1) != 0) parts.Add("under-voltage now");
        if ((flags & 0x2) != 0) parts.Add("arm frequency capped now");
        if ((flags & 0x4) != 0) parts.Add("throttled now");
        if ((flags & 0x8) != 0) parts.Add("soft temperature limit now");
        if ((flags & 0x10000) != 0) parts.Add("under-voltage occurred");
        if ((flags & 0x20000) != 0) parts.Add("frequency capping occurred");
        if ((flags & 0x40000) != 0) parts.Add("throttling occurred");
        if ((flags & 0x80000) != 0) parts.Add("soft temperature limit occurred");
        return string.Join(", ", parts);
    }
}
