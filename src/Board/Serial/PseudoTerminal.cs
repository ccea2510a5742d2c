using System.Runtime.InteropServices;
using EdgeRuntime.Board.Interop;

namespace EdgeRuntime.Board.Serial;

/// <summary>A pseudo-terminal pair (openpty): the slave path behaves like a serial port, the master is
/// the other end of the cable. For tests and for looping a board's serial output back on one machine.</summary>
public sealed unsafe class PseudoTerminal : IDisposable
{
    private int _master, _slave;

    private PseudoTerminal(int master, int slave, string path)
    {
        _master = master;
        _slave = slave;
        SlavePath = path;
    }

    public string SlavePath { get; }
    public int MasterFd => _master;

    public static PseudoTerminal Open()
    {
        int m, s;
        byte* name = stackalloc byte[256];
        if (Libc.Openpty(&m, &s, name, null, null) != 0)
            throw new IOException($"openpty failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        // Master in raw mode too, so bytes pass through unchanged in both directions.
        Libc.Termios t;
        if (Libc.Tcgetattr(m, &t) == 0) { SerialPort.MakeRaw(ref t); Libc.Tcsetattr(m, SerialPort.TCSANOW, &t); }
        if (Libc.Tcgetattr(s, &t) == 0) { SerialPort.MakeRaw(ref t); Libc.Tcsetattr(s, SerialPort.TCSANOW, &t); }
        // Master non-blocking: ReadMaster/WriteMaster return 0 instead of waiting.
        Libc.Fcntl(m, Libc.F_SETFL, Libc.Fcntl(m, Libc.F_GETFL, 0) | Libc.O_NONBLOCK);
        return new PseudoTerminal(m, s, Marshal.PtrToStringUTF8((nint)name)!);
    }

    /// <summary>Read from the master end (non-blocking): bytes read, 0 when nothing is there, or -errno.</summary>
    public int ReadMaster(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = Libc.Read(_master, p, (nuint)buffer.Length);
            if (n >= 0) return (int)n;
            int err = Marshal.GetLastPInvokeError();
            return err == Errno.EAGAIN || err == Errno.EINTR ? 0 : -err;
        }
    }

    /// <summary>Write to the master end (non-blocking): bytes written, 0 when full, or -errno.</summary>
    public int WriteMaster(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            nint n = Libc.Write(_master, p, (nuint)data.Length);
            if (n >= 0) return (int)n;
            int err = Marshal.GetLastPInvokeError();
            return err == Errno.EAGAIN || err == Errno.EINTR ? 0 : -err;
        }
    }

    public void Dispose()
    {
        if (_slave > 0) { Libc.Close(_slave); _slave = 0; }
        if (_master > 0) { Libc.Close(_master); _master = 0; }
    }
}
