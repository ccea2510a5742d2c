using System.Runtime.CompilerServices;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>One-lane fp32 target: the width-generic fp32 kernels instantiated on plain <c>float</c>.
/// Always supported; the path used when no SIMD is accelerated (e.g. DOTNET_EnableHWIntrinsic=0).</summary>
public readonly unsafe struct ScalarIsa : IFloatIsa<float>
{
    public static bool IsSupported => true;
    public static string Name => "scalar";
    public static int Lanes => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, float v) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fma(float acc, float a, float b) => MathF.FusedMultiplyAdd(a, b, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sub(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Div(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float a, float b) => a < b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Abs(float a) => MathF.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LessThan(float a, float b) => a < b ? BitConverter.Int32BitsToSingle(-1) : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(float mask, float a, float b)
        => BitConverter.SingleToInt32Bits(mask) != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Round(float a) => MathF.Round(a, MidpointRounding.ToEven);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Pow2(float n) => BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float CopySign(float m, float s) => MathF.CopySign(m, s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(float v) => v;
}
