using System.Runtime.Intrinsics;
using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Lut;

/// <summary>int8 lookup-table activations (TFLite-style LOGISTIC/TANH/ELU/... on quantized tensors):
/// a 256-entry table indexed by x + 128, built once at plan time by <see cref="Build"/>, applied by
/// <see cref="Apply(KernelPath, ReadOnlySpan{sbyte}, Span{sbyte}, ReadOnlySpan{sbyte})"/> with TBL: sixteen
/// 16-byte sub-tables, each TBL returns 0 outside its range, results OR-ed. Exact (a table lookup).
/// y may equal x (in place). No allocation in Apply.</summary>
public static unsafe class Int8Lut
{
    /// <summary>table[q + 128] = clamp(round(f((q − inZeroPoint)·inScale) / outScale) + outZeroPoint), round half away from zero.</summary>
    public static void Build(Func<double, double> f, double inScale, int inZeroPoint, double outScale, int outZeroPoint, Span<sbyte> table)
    {
        if (table.Length < 256) throw new ArgumentException("int8 LUT: table needs 256 entries");
        for (int q = -128; q <= 127; q++)
        {
            double y = f((q - inZeroPoint) * inScale) / outScale;
            double r = Math.Round(y, MidpointRounding.AwayFromZero) + outZeroPoint;
            table[q + 128] = (sbyte)Math.Clamp(r, -128, 127);
        }
    }

    /// <summary>Scalar reference: y[i] = table[x[i] + 128].</summary>
    public static void Reference(ReadOnlySpan<sbyte> x, Span<sbyte> y, ReadOnlySpan<sbyte> table)
    {
        for (int i = 0; i < x.Length; i++) y[i] = table[x[i] + 128];
    }

    public static void Apply(ReadOnlySpan<sbyte> x, Span<sbyte> y, ReadOnlySpan<sbyte> table)
        => Apply(KernelPaths.BestInt8, x, y, table);

    public static void Apply(KernelPath path, ReadOnlySpan<sbyte> x, Span<sbyte> y, ReadOnlySpan<sbyte> table)
    {
        if (table.Length < 256) throw new ArgumentException("int8 LUT: table needs 256 entries");
        if (x.Length != y.Length) throw new ArgumentException($"int8 LUT: input length {x.Length} != output length {y.Length}");
        if (x.Overlaps(y, out int offset) && offset != 0) throw new ArgumentException("int8 LUT: input and output partially overlap");
        if (!KernelPaths.IsSupported(path)) throw new PlatformNotSupportedException($"int8 LUT path {KernelPaths.Name(path)} is not supported on this machine");
        fixed (sbyte* px = x, py = y, pt = table)
        {
            switch (path)
            {
                case KernelPath.AdvSimd: Tbl<AdvSimdIsa>(px, py, x.Length, pt); break;
                case KernelPath.AdvSimdDp: Tbl<AdvSimdDpIsa>(px, py, x.Length, pt); break;
                case KernelPath.NeonModel: Tbl<AdvSimdModelIsa>(px, py, x.Length, pt); break;
                case KernelPath.NeonDpModel: Tbl<AdvSimdDpModelIsa>(px, py, x.Length, pt); break;
                case KernelPath.Scalar: Reference(x, y, table); break;
                default:
                    if (PortableIsa.IsSupported) Tbl<PortableIsa>(px, py, x.Length, pt); else Reference(x, y, table);
                    break;
            }
        }
    }

    private static void Tbl<TIsa>(sbyte* x, sbyte* y, int n, sbyte* table) where TIsa : struct, IIsa
    {
        int i = 0;
        var bias = Vector128.Create((byte)0x80);
        var sixteen = Vector128.Create((byte)16);
        for (; i <= n - 16; i += 16)
        {
            var idx = Vector128.Load((byte*)x + i) ^ bias;  // x + 128 as an unsigned index
            var r = Vector128<byte>.Zero;
            for (int t = 0; t < 16; t++)
            {
                r |= TIsa.Tbl(Vector128.Load((byte*)table + 16 * t), idx);
                idx -= sixteen;                               // indices below this sub-table wrap to >= 16: TBL gives 0
            }
            r.AsSByte().Store(y + i);
        }
        for (; i < n; i++) y[i] = table[x[i] + 128];
    }
}
