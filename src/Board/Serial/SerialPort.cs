using System.Runtime.InteropServices;
using EdgeRuntime.Board.Interop;

namespace EdgeRuntime.Board.Serial;

/// <summary>A tty opened non-blocking and configured raw through termios: the cfmakeraw settings, the
/// given baud rate, 8 data bits, no parity, 1 stop bit, no hardware or software flow control.</summary>
public sealed unsafe class SerialPort : IDisposable
{
    private int _fd;

    private SerialPort(int fd, string path, int baud)
    {
        _fd = fd;
        Path = path;
        Baud = baud;
    }

    public string Path { get; }
    public int Baud { get; }
    public int Fd => _fd;

    // termios flag values (Linux asm-generic; same on x86_64 and aarch64).
    internal const uint IGNBRK = 0x1, BRKINT = 0x2, PARMRK = 0x8, ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80,
        ICRNL = 0x100, IXON = 0x400, IXANY = 0x800, IXOFF = 0x1000;
    internal const uint OPOST = 0x1;
    internal const uint ECHO = 0x8, ECHONL = 0x40, ICANON = 0x2, ISIG = 0x1, IEXTEN = 0x8000;
    internal const uint CSIZE = 0x30, CS8 = 0x30, CSTOPB = 0x40, CREAD = 0x80, PARENB = 0x100, CLOCAL = 0x800,
        CRTSCTS = 0x80000000;
    internal const int VTIME = 5, VMIN = 6, TCSANOW = 0;

    /// <summary>Baud rate → termios speed constant.</summary>
    public static uint SpeedConstant(int baud) => baud switch
    {
        1200 => 0x9, 2400 => 0xB, 4800 => 0xC, 9600 => 0xD, 19200 => 0xE, 38400 => 0xF,
        57600 => 0x1001, 115200 => 0x1002, 230400 => 0x1003, 460800 => 0x1004, 500000 => 0x1005,
        576000 => 0x1006, 921600 => 0x1007, 1000000 => 0x1008, 1500000 => 0x100A, 2000000 => 0x100B,
        3000000 => 0x100D,
        _ => throw new ArgumentException($"unsupported baud rate {baud} (use 1200..3000000, a standard rate)"),
    };

    /// <summary>The raw-mode flags (what cfmakeraw does), plus 8N1, receiver on, modem lines ignored,
    /// no flow control, reads return what is there (VMIN=0, VTIME=0).</summary>
    internal static void MakeRaw(ref Libc.Termios t)
    {
        t.IFlag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF | IXANY);
        t.OFlag &= ~OPOST;
        t.LFlag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        t.CFlag &= ~(CSIZE | PARENB | CSTOPB | CRTSCTS);
        t.CFlag |= CS8 | CREAD | CLOCAL;
        t.CC[VMIN] = 0;
        t.CC[VTIME] = 0;
    }

    public static SerialPort Open(string path, int baud)
    {
        uint speed = SpeedConstant(baud);
        if (!File.Exists(path))
            throw new IOException($"serial port {path} does not exist");
        int fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"cannot open serial port {path}: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        Libc.Termios t;
        if (Libc.Tcgetattr(fd, &t) != 0)
        {
            int err = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            throw new IOException($"{path} is not a terminal device: {Errno.Describe(err)}");
        }
        MakeRaw(ref t);
        Libc.Cfsetispeed(&t, speed);
        Libc.Cfsetospeed(&t, speed);
        if (Libc.Tcsetattr(fd, TCSANOW, &t) != 0)
        {
            int err = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            throw new IOException($"cannot configure {path} at {baud} baud 8N1: {Errno.Describe(err)}");
        }
        return new SerialPort(fd, path, baud);
    }

    /// <summary>Current settings, for tests and diagnostics.</summary>
    internal Libc.Termios ReadSettings()
    {
        Libc.Termios t;
        if (Libc.Tcgetattr(_fd, &t) != 0) throw new IOException($"{Path}: tcgetattr failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        return t;
    }

    /// <summary>Bytes written (0 when the driver's buffer is full), or -errno on failure.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            nint n = Libc.Write(_fd, p, (nuint)data.Length);
            if (n >= 0) return (int)n;
            int err = Marshal.GetLastPInvokeError();
            return err == Errno.EAGAIN || err == Errno.EINTR ? 0 : -err;
        }
    }

    /// <summary>Bytes read (0 when nothing is there), or -errno on failure.</summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = Libc.Read(_fd, p, (nuint)buffer.Length);
            if (n >= 0) return (int)n;
            int err = Marshal.GetLastPInvokeError();
            return err == Errno.EAGAIN || err == Errno.EINTR ? 0 : -err;
        }
    }

    public void Dispose()
    {
        if (_fd > 0) { Libc.Close(_fd); _fd = 0; }
    }
}
