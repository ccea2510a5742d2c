using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Fma = System.Runtime.Intrinsics.X86.Fma;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>x86 AVX2+FMA target. fp32: 8 lanes, VFMADD231PS. int8: sign-extend 16 bytes to int16
/// (VPMOVSXBW) and VPMADDWD, which is exact for every int8 input (no VPMADDUBSW int16 saturation).</summary>
public readonly unsafe struct Avx2Isa : IFloatIsa<Vector256<float>>, IInt8WideIsa<Vector256<short>, Vector256<int>>
{
    public static bool IsSupported => Avx2.IsSupported && X86Fma.IsSupported;
    public static string Name => "avx2";
    public static int Lanes => 8;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Avx.LoadVector256(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector256<float> v) => Avx.Store(p, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> acc, Vector256<float> a, Vector256<float> b) => X86Fma.MultiplyAdd(a, b, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => Avx.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => Avx.Subtract(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => Avx.Multiply(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Div(Vector256<float> a, Vector256<float> b) => Avx.Divide(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Avx.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Avx.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> a) => Avx.And(a, Vector256.Create(0x7fffffff).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Avx.CompareLessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> m, Vector256<float> a, Vector256<float> b) => Avx.BlendVariable(b, a, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> a) => Avx.RoundToNearestInteger(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pow2(Vector256<float> n) => Avx2.ShiftLeftLogical(Avx2.Add(Avx.ConvertToVector256Int32WithTruncation(n), Vector256.Create(127)), 23).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> m, Vector256<float> s)
        => Avx.Or(Avx.And(m, Vector256.Create(0x7fffffff).AsSingle()), Avx.And(s, Vector256.Create(int.MinValue).AsSingle()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> v) => PortableIsa.Sum(Sse.Add(v.GetLower(), v.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> v) => PortableIsa.MaxAcross(Sse.Max(v.GetLower(), v.GetUpper()));

    // ---- int8 (IInt8WideIsa) ----
    public static int BytesPerStep => 16;
    public static bool NeedsColumnSums => false;
    public static Vector256<int> IntZero => Vector256<int>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<short> LoadA(sbyte* a) => Avx2.ConvertToVector256Int16(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Dot(Vector256<int> acc, Vector256<short> a, sbyte* b) => Avx2.Add(acc, Avx2.MultiplyAddAdjacent(a, Avx2.ConvertToVector256Int16(b)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SumInt(Vector256<int> v) => Vector128.Sum(Sse2.Add(v.GetLower(), v.GetUpper()));
}
