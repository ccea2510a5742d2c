using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Cli;
using EdgeRuntime.Kernels.Conv;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Kernels.Gemv;
using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Bench;

/// <summary><c>edgert bench kernels [--json] [--max N] [--repeats N]</c>: int8 and fp32 GEMM (cubes 64..N),
/// GEMV (8..128), depthwise 3×3 conv; GOP/s per path on one thread, the median of repeats, with the
/// theoretical single-core peak of the path's instruction at the clock read from sysfs or /proc/cpuinfo.
/// Model paths are not benchmarked (they are correctness tools).</summary>
public static unsafe class KernelBench
{
    public static int Run(Args args)
    {
        bool json = args.Flag("json");
        int max = args.GetInt("max", 512);
        int repeats = args.GetInt("repeats", 5);
        args.EnsureAllUsed();
        if (max < 8 || repeats < 1) throw new UsageException("--max must be >= 8 and --repeats >= 1");
        double mhz = ClockMhz();
        var records = new List<KernelBenchRecord>();
        void Add(string kernel, KernelPath path, string shape, double ops, double seconds)
        {
            var (perCycle, basis) = PeakOpsPerCycle(kernel, path);
            double gops = ops / seconds / 1e9, peak = perCycle * mhz / 1000.0;
            var rec = new KernelBenchRecord(kernel, KernelPaths.Name(path), shape, Math.Round(gops, 3), Math.Round(peak, 2),
                Math.Round(gops / peak, 4), Math.Round(seconds * 1e6, 2), mhz, basis);
            records.Add(rec);
            if (!json) Console.WriteLine($"{kernel,-14} {rec.Path,-10} {shape,-12} {gops,8:F2} GOP/s  peak {peak,7:F1}  {100 * gops / peak,5:F1}%  ({rec.MedianMicros:F1} us)");
        }
        var rnd = new Random(1);
        var f32Paths = KernelPaths.F32Paths.Where(p => KernelPaths.IsSupported(p) && !KernelPaths.IsModel(p)).ToArray();
        var i8Paths = KernelPaths.Int8Paths.Where(p => KernelPaths.IsSupported(p) && !KernelPaths.IsModel(p)).ToArray();
        int[] cubes = new[] { 64, 128, 256, 512 }.Where(s => s <= max).ToArray();
        if (!json) Console.WriteLine($"single thread, clock {mhz:F0} MHz; median of {repeats}");

        foreach (int s in cubes)
        {
            var a = Rand(rnd, s * s); var b = Rand(rnd, s * s); var c = new float[s * s];
            fixed (float* pa = a, pb = b, pc = c)
                foreach (var p in f32Paths)
                {
                    if (p == KernelPath.Scalar && s > 256) continue;
                    float* xa = pa, xb = pb, xc = pc;
                    Add("gemm-f32", p, $"{s}x{s}x{s}", 2.0 * s * s * s, Time(() => GemmF32.Run(p, s, s, s, xa, s, xb, s, xc, s), repeats));
                }
            var qa = RandS8(rnd, s * s); var qb = RandS8(rnd, s * s); var qc = new int[s * s];
            fixed (sbyte* pa = qa, pb = qb) fixed (int* pc = qc)
                foreach (var p in i8Paths)
                {
                    if (p == KernelPath.Scalar && s > 256) continue;
                    sbyte* xa = pa, xb = pb; int* xc = pc;
                    Add("gemm-int8", p, $"{s}x{s}x{s}", 2.0 * s * s * s, Time(() => Int8Gemm.Run(p, s, s, s, xa, s, xb, s, xc, s), repeats));
                }
        }
        foreach (int s in new[] { 8, 16, 32, 64, 128 })
        {
            var w = Rand(rnd, s * s); var x = Rand(rnd, s); var y = new float[s];
            fixed (float* pw = w, px = x, py = y)
                foreach (var p in f32Paths)
                {
                    float* xw = pw, xx = px, xy = py;
                    Add("gemv-f32", p, $"{s}x{s}", 2.0 * s * s, Time(() => GemvF32.Run(p, s, s, xw, xx, xy), repeats, inner: 2000));
                }
            var qw = RandS8(rnd, s * s); var qx = RandS8(rnd, s); var qy = new int[s];
            fixed (sbyte* pw = qw, px = qx) fixed (int* py = qy)
                foreach (var p in i8Paths)
                {
                    sbyte* xw = pw, xx = px; int* xy = py;
                    Add("gemv-int8", p, $"{s}x{s}", 2.0 * s * s, Time(() => Int8Gemv.Run(p, s, s, xw, xx, xy), repeats, inner: 2000));
                }
        }
        {
            const int H = 32, W = 32, C = 64;
            var input = Rand(rnd, H * W * C); var filter = Rand(rnd, 9 * C); var output = new float[H * W * C];
            fixed (float* pi = input, pf = filter, po = output)
                foreach (var p in f32Paths)
                {
                    float* xi = pi, xf = pf, xo = po;
                    Add("dwconv3x3-f32", p, $"{H}x{W}x{C}", 2.0 * H * W * C * 9,
                        Time(() => DepthwiseConvF32.Run(p, 1, H, W, C, xi, 3, 3, xf, null, 1, 1, 1, 1, 1, 1, H, W, xo), repeats, inner: 5));
                }
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(records, KernelJsonContext.Default.ListKernelBenchRecord));
        return 0;
    }

    private static float[] Rand(Random r, int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1); return a; }
    private static sbyte[] RandS8(Random r, int n) { var a = new sbyte[n]; for (int i = 0; i < n; i++) a[i] = (sbyte)r.Next(-127, 128); return a; }

    /// <summary>Median seconds of one call: one warm-up, then <paramref name="repeats"/> samples of
    /// <paramref name="inner"/> calls each (at least ~2 ms per sample).</summary>
    private static double Time(Action f, int repeats, int inner = 1)
    {
        f();
        var sw = Stopwatch.StartNew();
        f();
        double once = Math.Max(sw.Elapsed.TotalSeconds, 1e-9);
        inner = Math.Max(inner, (int)Math.Ceiling(0.002 / once));
        inner = Math.Min(inner, Math.Max(1, (int)(0.5 / once)));
        var samples = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            sw.Restart();
            for (int i = 0; i < inner; i++) f();
            samples[r] = sw.Elapsed.TotalSeconds / inner;
        }
        Array.Sort(samples);
        return samples[repeats / 2];
    }

    /// <summary>Core clock in MHz: cpufreq max if present, else /proc/cpuinfo "cpu MHz", else 1000.</summary>
    /// <summary>The clock the peak is computed from: the larger of the reported maximum and the clock
    /// measured with a chain of dependent one-cycle ALU operations (cores boost above the nominal
    /// frequency /proc/cpuinfo shows, which would put measured figures above a nominal "peak").</summary>
    public static double ClockMhz() => Math.Max(ReportedClockMhz(), MeasuredClockMhz());

    /// <summary>Cycles per second from 8 dependent add/xor operations per loop iteration (1 cycle each on
    /// every x86-64 and Armv8 core), median of 5 runs.</summary>
    public static double MeasuredClockMhz()
    {
        const int n = 4_000_000;
        var mhz = new double[5];
        long sink = 0;
        for (int r = 0; r < mhz.Length; r++)
        {
            long x = r;
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            for (long i = 0; i < n; i++)
            {
                x += i; x ^= 0x5bd1e995; x += i; x ^= 0x1b873593;
                x += i; x ^= 0x2c1b3c6d; x += i; x ^= 0x297a2d39;
            }
            double sec = (System.Diagnostics.Stopwatch.GetTimestamp() - t0) / (double)System.Diagnostics.Stopwatch.Frequency;
            sink += x;
            mhz[r] = 8.0 * n / sec / 1e6;
        }
        Array.Sort(mhz);
        return sink == 42 ? mhz[1] : mhz[2];
    }

    public static double ReportedClockMhz()
    {
        try
        {
            const string max = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
            if (File.Exists(max) && double.TryParse(File.ReadAllText(max).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double khz) && khz > 0)
                return khz / 1000.0;
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("cpu MHz", StringComparison.Ordinal) &&
                        double.TryParse(line[(line.IndexOf(':') + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz) && mhz > 0)
                        return mhz;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 1000;
    }

    /// <summary>Theoretical ops/cycle of one core for the instruction a path's inner loop uses
    /// (2 ops per multiply-add, two vector pipes assumed; the basis is stated in every record).</summary>
    public static (double OpsPerCycle, string Basis) PeakOpsPerCycle(string kernel, KernelPath path)
    {
        bool f32 = kernel.EndsWith("f32", StringComparison.Ordinal);
        return (f32, path) switch
        {
            (true, KernelPath.Avx512) => (64, "2x VFMADD zmm/cycle x 16 lanes x 2"),
            (true, KernelPath.Avx2) => (32, "2x VFMADD ymm/cycle x 8 lanes x 2"),
            (true, KernelPath.Portable or KernelPath.AdvSimd or KernelPath.AdvSimdDp) => (16, "2x FMA 128-bit/cycle x 4 lanes x 2"),
            (true, _) => (4, "2x scalar FMA/cycle x 2"),
            (false, KernelPath.AvxVnni) => (128, "2x VPDPBUSD ymm/cycle x 32 MAC x 2"),
            (false, KernelPath.Avx512) => (128, "2x VPMADDWD zmm/cycle x 32 MAC x 2"),
            (false, KernelPath.Avx2) => (64, "2x VPMADDWD ymm/cycle x 16 MAC x 2"),
            (false, KernelPath.AdvSimdDp) => (64, "2x SDOT/cycle x 16 MAC x 2"),
            (false, KernelPath.AdvSimd) => (32, "2x SMLAL 8H/cycle x 8 MAC x 2"),
            (false, KernelPath.Portable) => (32, "2x 8-lane int16 multiply/cycle x 2"),
            _ => (2, "1 scalar MAC/cycle x 2"),
        };
    }
}
