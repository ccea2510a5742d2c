namespace EdgeRuntime.Kernels.Isa;

/// <summary>x86 wide int8 dot-product step used by the int8 GEMM/GEMV x86 paths: <c>Dot</c> adds
/// Σ a[k]·b[k] over <see cref="BytesPerStep"/> consecutive bytes into the int32 lanes of the accumulator
/// (partial sums; <see cref="SumInt"/> reduces them). <typeparamref name="TA"/> is A after <c>LoadA</c>
/// (widened or biased once, reused across columns).</summary>
public unsafe interface IInt8WideIsa<TA, TV> where TA : struct where TV : struct
{
    static abstract bool IsSupported { get; }
    static abstract string Name { get; }
    static abstract int BytesPerStep { get; }
    /// <summary>True when <c>Dot</c> computes Σ (a+128)·b, so the kernel must subtract 128·Σ b.</summary>
    static abstract bool NeedsColumnSums { get; }
    static abstract TV IntZero { get; }
    static abstract TA LoadA(sbyte* a);
    static abstract TV Dot(TV acc, TA a, sbyte* b);
    static abstract int SumInt(TV v);
}
