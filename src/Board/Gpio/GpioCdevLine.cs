using System.Runtime.InteropServices;
using System.Text;
using EdgeRuntime.Board.Interop;

namespace EdgeRuntime.Board.Gpio;

/// <summary>An output line through the Linux GPIO character device, uAPI v2:
/// GPIO_GET_CHIPINFO_IOCTL to check the line exists, GPIO_V2_GET_LINE_IOCTL to request it as an
/// output, GPIO_V2_LINE_SET_VALUES_IOCTL to drive it. <see cref="Set"/> is one ioctl, no allocation.</summary>
public sealed unsafe class GpioCdevLine : IGpioLine
{
    // _IOR(0xB4, 0x01, struct gpiochip_info) ; _IOWR(0xB4, 0x07, struct gpio_v2_line_request);
    // _IOWR(0xB4, 0x0F, struct gpio_v2_line_values)
    internal const uint GPIO_GET_CHIPINFO_IOCTL = (2u << 30) | (68u << 16) | (0xB4u << 8) | 0x01;
    internal const uint GPIO_V2_GET_LINE_IOCTL = (3u << 30) | (592u << 16) | (0xB4u << 8) | 0x07;
    internal const uint GPIO_V2_LINE_SET_VALUES_IOCTL = (3u << 30) | (16u << 16) | (0xB4u << 8) | 0x0F;
    internal const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1ul << 3;

    [StructLayout(LayoutKind.Sequential)]
    internal struct ChipInfo
    {
        public fixed byte Name[32];
        public fixed byte Label[32];
        public uint Lines;
    }

    /// <summary>struct gpio_v2_line_request (592 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 592)]
    internal struct LineRequest
    {
        public fixed uint Offsets[64];        // 0..255
        public fixed byte Consumer[32];       // 256..287
        public ulong ConfigFlags;             // 288: gpio_v2_line_config.flags
        public uint ConfigNumAttrs;           // 296
        public fixed uint ConfigPadding[5];   // 300..319
        public fixed byte ConfigAttrs[240];   // 320..559: 10 x gpio_v2_line_config_attribute
        public uint NumLines;                 // 560
        public uint EventBufferSize;          // 564
        public fixed uint Padding[5];         // 568..587
        public int Fd;                        // 588
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct LineValues
    {
        public ulong Bits;
        public ulong Mask;
    }

    private int _lineFd;

    private GpioCdevLine(int lineFd, GpioLineSpec spec)
    {
        _lineFd = lineFd;
        Spec = spec;
    }

    public GpioLineSpec Spec { get; }
    public string Description => $"gpio {Spec} (chardev v2)";

    public static GpioCdevLine Open(GpioLineSpec spec, string consumer = "edgert")
    {
        if (!File.Exists(spec.ChipPath))
            throw new GpioException($"GPIO chip {spec.ChipPath} does not exist (no GPIO character device on this machine; available: {ListChips()})");
        int chip = Libc.Open(spec.ChipPath, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (chip < 0)
            throw new GpioException($"cannot open GPIO chip {spec.ChipPath}: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        try
        {
            ChipInfo info;
            if (Libc.Ioctl(chip, GPIO_GET_CHIPINFO_IOCTL, &info) < 0)
                throw new GpioException($"{spec.ChipPath} is not a GPIO chip: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            if ((uint)spec.Line >= info.Lines)
                throw new GpioException($"GPIO chip {spec.ChipPath} has {info.Lines} lines (0..{info.Lines - 1}); line {spec.Line} does not exist");

            LineRequest req = default;
            req.Offsets[0] = (uint)spec.Line;
            var c = Encoding.ASCII.GetBytes(consumer);
            for (int i = 0; i < Math.Min(c.Length, 31); i++) req.Consumer[i] = c[i];
            req.ConfigFlags = GPIO_V2_LINE_FLAG_OUTPUT;
            req.NumLines = 1;
            if (Libc.Ioctl(chip, GPIO_V2_GET_LINE_IOCTL, &req) < 0)
            {
                int err = Marshal.GetLastPInvokeError();
                string hint = err == Errno.EBUSY ? " (the line is in use by another consumer)" : "";
                throw new GpioException($"cannot request {spec} as an output: {Errno.Describe(err)}{hint}");
            }
            var line = new GpioCdevLine(req.Fd, spec);
            line.Set(false);
            return line;
        }
        finally
        {
            Libc.Close(chip);
        }
    }

    private static string ListChips()
    {
        try
        {
            var chips = Directory.Exists("/dev") ? Directory.GetFiles("/dev", "gpiochip*") : [];
            return chips.Length == 0 ? "none" : string.Join(", ", chips.Order());
        }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    public void Set(bool high)
    {
        if (_lineFd <= 0) return;
        LineValues v;
        v.Bits = high ? 1ul : 0ul;
        v.Mask = 1;
        Libc.Ioctl(_lineFd, GPIO_V2_LINE_SET_VALUES_IOCTL, &v);
    }

    public void Dispose()
    {
        if (_lineFd > 0)
        {
            Set(false);
            Libc.Close(_lineFd);
            _lineFd = 0;
        }
    }
}
