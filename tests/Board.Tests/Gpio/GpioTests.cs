using System.Runtime.InteropServices;
using EdgeRuntime.Board.Gpio;

namespace EdgeRuntime.Board.Tests.Gpio;

public class GpioTests
{
    [Theory]
    [InlineData("gpiochip0:17", "/dev/gpiochip0", 17)]
    [InlineData("/dev/gpiochip4:3", "/dev/gpiochip4", 3)]
    [InlineData("1:0", "/dev/gpiochip1", 0)]
    public void ParsesChipAndLine(string text, string chip, int line)
    {
        var s = GpioLineSpec.Parse(text);
        Assert.Equal(chip, s.ChipPath);
        Assert.Equal(line, s.Line);
    }

    [Theory]
    [InlineData("gpiochip0")]
    [InlineData("gpiochip0:")]
    [InlineData(":4")]
    [InlineData("gpiochip0:-1")]
    [InlineData("gpiochip0:x")]
    public void RejectsBadSpecs(string text) => Assert.Throws<FormatException>(() => GpioLineSpec.Parse(text));

    [Fact]
    public void FakeLineCountsEdges()
    {
        var g = new FakeGpioLine();
        for (int i = 0; i < 5; i++) { g.Set(true); g.Set(false); }
        g.Set(false);
        Assert.Equal(5, g.Rises);
        Assert.Equal(5, g.Falls);
        Assert.Equal(1, g.Redundant);
        Assert.False(g.High);
    }

    [Fact]
    public void UapiStructsAndIoctlNumbersMatchTheKernelHeader()
    {
        // linux/gpio.h: struct gpio_v2_line_request is 592 bytes, gpio_v2_line_values 16, gpiochip_info 68.
        Assert.Equal(592, Marshal.SizeOf<GpioCdevLine.LineRequest>());
        Assert.Equal(588, (int)Marshal.OffsetOf<GpioCdevLine.LineRequest>(nameof(GpioCdevLine.LineRequest.Fd)));
        Assert.Equal(560, (int)Marshal.OffsetOf<GpioCdevLine.LineRequest>(nameof(GpioCdevLine.LineRequest.NumLines)));
        Assert.Equal(16, Marshal.SizeOf<GpioCdevLine.LineValues>());
        Assert.Equal(68, Marshal.SizeOf<GpioCdevLine.ChipInfo>());
        Assert.Equal(0xC250B407u, GpioCdevLine.GPIO_V2_GET_LINE_IOCTL);
        Assert.Equal(0xC010B40Fu, GpioCdevLine.GPIO_V2_LINE_SET_VALUES_IOCTL);
        Assert.Equal(0x8044B401u, GpioCdevLine.GPIO_GET_CHIPINFO_IOCTL);
    }

    [Fact]
    public void AbsentChipFailsClearly()
    {
        var e = Assert.Throws<GpioException>(() => GpioCdevLine.Open(GpioLineSpec.Parse("gpiochip97:5")));
        Assert.Contains("/dev/gpiochip97", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void NonGpioDeviceFailsClearly()
    {
        // /dev/null exists but is no GPIO chip: the chip-info ioctl is refused.
        var e = Assert.Throws<GpioException>(() => GpioCdevLine.Open(new GpioLineSpec("/dev/null", 0)));
        Assert.Contains("not a GPIO chip", e.Message);
    }
}
