namespace EdgeRuntime.Bench;

/// <summary>One kernel benchmark measurement (single thread). gops = operations per second / 1e9 with
/// 2 ops per multiply-add; peak_gops = single-core theoretical peak of the path's instruction at clock_mhz.</summary>
public sealed record KernelBenchRecord(string Kernel, string Path, string Shape, double Gops, double PeakGops, double FractionOfPeak,
    double MedianMicros, double ClockMhz, string PeakBasis);
