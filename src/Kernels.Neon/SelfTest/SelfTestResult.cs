namespace EdgeRuntime.Kernels.SelfTest;

/// <summary>One kernel family on one path versus its scalar reference.</summary>
public sealed record SelfTestResult(string Kernel, string Path, bool Passed, int Cases, string Criterion, double MaxError, string Detail);
