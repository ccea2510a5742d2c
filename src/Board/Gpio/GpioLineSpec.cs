using System.Globalization;

namespace EdgeRuntime.Board.Gpio;

/// <summary><c>CHIP:LINE</c> as given to <c>--gpio</c>: chip as "gpiochip0", "/dev/gpiochip0" or "0";
/// line as its offset on that chip.</summary>
public sealed record GpioLineSpec(string ChipPath, int Line)
{
    public static GpioLineSpec Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new FormatException($"--gpio expects CHIP:LINE (e.g. gpiochip0:17), got '{text}'");
        string chip = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int line) || line < 0)
            throw new FormatException($"--gpio: line must be a non-negative offset, got '{text[(colon + 1)..]}'");
        if (chip.All(char.IsAsciiDigit)) chip = "/dev/gpiochip" + chip;
        else if (!chip.StartsWith('/')) chip = "/dev/" + chip;
        return new GpioLineSpec(chip, line);
    }

    public override string ToString() => $"{ChipPath}:{Line}";
}
