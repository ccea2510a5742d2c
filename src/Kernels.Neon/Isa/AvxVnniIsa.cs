using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>x86 VNNI int8 target: VPDPBUSD on 256-bit registers (AVX-VNNI; Sapphire Rapids, Alder Lake,
/// Zen 5). VPDPBUSD multiplies unsigned by signed bytes, so A is biased to a+128 (XOR 0x80) and the kernel
/// subtracts 128·Σ_k b[j,k] per column (<see cref="NeedsColumnSums"/>); the accumulation does not saturate,
/// so the result is exact. (.NET 9 exposes no 512-bit VNNI API; on AVX-512 machines without AVX-VNNI the
/// <see cref="Avx512Isa"/> VPMADDWD path is used.)</summary>
public readonly unsafe struct AvxVnniIsa : IInt8WideIsa<Vector256<byte>, Vector256<int>>
{
    public static bool IsSupported => AvxVnni.IsSupported && Avx2.IsSupported;
    public static string Name => "avx-vnni";
    public static int BytesPerStep => 32;
    public static bool NeedsColumnSums => true;
    public static Vector256<int> IntZero => Vector256<int>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> LoadA(sbyte* a) => Avx2.Xor(Avx.LoadVector256((byte*)a), Vector256.Create((byte)0x80));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<byte> a, sbyte* b) => AvxVnni.MultiplyWideningAndAdd(acc, a, Avx.LoadVector256(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int SumInt(Vector256<int> v) => Avx2Isa.SumInt(v);
}
