using System.Runtime.InteropServices;

namespace EdgeRuntime.Board.Interop;

/// <summary>The C library calls the board layer needs (Linux, glibc/musl layouts for x64 and arm64).
/// Every call that sets <c>errno</c> is declared with <c>SetLastError</c>; read it with
/// <see cref="Marshal.GetLastPInvokeError"/> and describe it with <see cref="Errno.Describe"/>.</summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc.so.6";

    public const int CLOCK_MONOTONIC = 1;
    public const int TIMER_ABSTIME = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Lib, EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGettime(int clock, Timespec* ts);

    /// <summary>Returns 0 or an error number (it does not set errno).</summary>
    [LibraryImport(Lib, EntryPoint = "clock_nanosleep")]
    public static partial int ClockNanosleep(int clock, int flags, Timespec* request, Timespec* remain);

    public const int SCHED_OTHER = 0;
    public const int SCHED_FIFO = 1;

    [LibraryImport(Lib, EntryPoint = "sched_setscheduler", SetLastError = true)]
    public static partial int SchedSetscheduler(int pid, int policy, int* param);

    [LibraryImport(Lib, EntryPoint = "sched_get_priority_max", SetLastError = true)]
    public static partial int SchedGetPriorityMax(int policy);

    [LibraryImport(Lib, EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SchedSetaffinity(int pid, nuint size, byte* mask);

    [LibraryImport(Lib, EntryPoint = "gettid")]
    public static partial int Gettid();

    public const int MCL_CURRENT = 1;
    public const int MCL_FUTURE = 2;

    [LibraryImport(Lib, EntryPoint = "mlockall", SetLastError = true)]
    public static partial int Mlockall(int flags);

    [LibraryImport(Lib, EntryPoint = "munlockall", SetLastError = true)]
    public static partial int Munlockall();

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_NOCTTY = 0x100;   // 0400
    public const int O_NONBLOCK = 0x800; // 04000
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    /// <summary>ioctl with one pointer argument (variadic in C; passing one pointer is ABI-safe on
    /// Linux x64 and AArch64).</summary>
    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* arg);

    [LibraryImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int Tcgetattr(int fd, Termios* t);

    [LibraryImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int Tcsetattr(int fd, int optionalActions, Termios* t);

    [LibraryImport(Lib, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int Cfsetispeed(Termios* t, uint speed);

    [LibraryImport(Lib, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int Cfsetospeed(Termios* t, uint speed);

    [LibraryImport(Lib, EntryPoint = "cfgetospeed")]
    public static partial uint Cfgetospeed(Termios* t);

    [LibraryImport(Lib, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int Tcflush(int fd, int queue);

    /// <summary>glibc ≥ 2.34 has openpty in libc itself.</summary>
    [LibraryImport(Lib, EntryPoint = "openpty", SetLastError = true)]
    public static partial int Openpty(int* master, int* slave, byte* name, void* termp, void* winp);

    public const int F_GETFL = 3, F_SETFL = 4;

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, EntryPoint = "strerror")]
    public static partial nint Strerror(int errnum);

    /// <summary>glibc <c>struct termios</c> (identical on x86_64 and aarch64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint IFlag;
        public uint OFlag;
        public uint CFlag;
        public uint LFlag;
        public byte Line;
        public fixed byte CC[32];
        public uint ISpeed;
        public uint OSpeed;
    }
}

/// <summary>errno values the board layer explains by name.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EBUSY = 16, ENODEV = 19, EINVAL = 22, ENOTTY = 25, ENOSYS = 38;

    /// <summary>"EPERM (Operation not permitted)" style text for an errno value.</summary>
    public static string Describe(int errno)
    {
        string name = errno switch
        {
            EPERM => "EPERM", ENOENT => "ENOENT", EINTR => "EINTR", EIO => "EIO", EBADF => "EBADF",
            EAGAIN => "EAGAIN", ENOMEM => "ENOMEM", EACCES => "EACCES", EBUSY => "EBUSY", ENODEV => "ENODEV",
            EINVAL => "EINVAL", ENOTTY => "ENOTTY", ENOSYS => "ENOSYS", _ => $"errno {errno}",
        };
        string? text = null;
        try { text = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Interop.Libc.Strerror(errno)); }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
        return text is null ? name : $"{name} ({text})";
    }
}
