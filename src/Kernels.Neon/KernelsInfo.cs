namespace EdgeRuntime.Kernels;

/// <summary>Facts about the kernel library build.</summary>
public static class KernelsInfo
{
    public const string Name = "EdgeRuntime.Kernels.Neon";
}
