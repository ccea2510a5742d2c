using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>x86 AVX-512 (F+BW) target. fp32: 16 lanes. int8: VPMOVSXBW to 32 int16 lanes + VPMADDWD (exact).
/// Supported only when Vector512 is hardware accelerated (DOTNET_EnableAVX512=0 or
/// DOTNET_PreferredVectorBitWidth=256 turn it off).</summary>
public readonly unsafe struct Avx512Isa : IFloatIsa<Vector512<float>>, IInt8WideIsa<Vector512<short>, Vector512<int>>
{
    public static bool IsSupported => Avx512F.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;
    public static string Name => "avx512";
    public static int Lanes => 16;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector512<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> acc, Vector512<float> a, Vector512<float> b) => Avx512F.FusedMultiplyAdd(a, b, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Div(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Avx512F.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Avx512F.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> m, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(m, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> a) => Avx512F.RoundScale(a, 0);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Pow2(Vector512<float> n) => Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> m, Vector512<float> s) => Vector512.ConditionalSelect(Vector512.Create(int.MinValue).AsSingle(), s, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> v) => Avx2Isa.Sum(v.GetLower() + v.GetUpper());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector512<float> v) => Avx2Isa.MaxAcross(Avx.Max(v.GetLower(), v.GetUpper()));

    // ---- int8 ----
    public static int BytesPerStep => 32;
    public static bool NeedsColumnSums => false;
    public static Vector512<int> IntZero => Vector512<int>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<short> LoadA(sbyte* a) => Avx512BW.ConvertToVector512Int16(Vector256.Load(a));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Dot(Vector512<int> acc, Vector512<short> a, sbyte* b) => acc + Avx512BW.MultiplyAddAdjacent(a, Avx512BW.ConvertToVector512Int16(Vector256.Load(b)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int SumInt(Vector512<int> v) => Avx2Isa.SumInt(v.GetLower() + v.GetUpper());
}
