using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>An element-wise binary function written once per width (the TensorPrimitives shape).
/// Half has no vector arithmetic: its ops report <c>Vectorizable</c> false and run scalar.</summary>
public interface IBinaryOp<T> where T : unmanaged
{
    static abstract bool Vectorizable { get; }
    static abstract T Apply(T a, T b);
    static abstract Vector128<T> Apply(Vector128<T> a, Vector128<T> b);
    static abstract Vector256<T> Apply(Vector256<T> a, Vector256<T> b);
}

public readonly struct AddOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) != typeof(Half);
    public static T Apply(T a, T b) => a + b;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => a + b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => a + b;
}

public readonly struct SubOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) != typeof(Half);
    public static T Apply(T a, T b) => a - b;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => a - b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => a - b;
}

public readonly struct MulOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) != typeof(Half);
    public static T Apply(T a, T b) => a * b;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => a * b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => a * b;
}

/// <summary>Division; integer division by zero gives 0 instead of trapping (the run path never throws).</summary>
public readonly struct DivOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) == typeof(float) || typeof(T) == typeof(double);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply(T a, T b)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) && b == T.Zero) return T.Zero;
        return a / b;
    }
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => a / b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => a / b;
}

/// <summary>Max; for floats a NaN operand gives NaN (numpy/ONNX Runtime semantics).</summary>
public readonly struct MaxOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(Half);
    public static T Apply(T a, T b) => T.Max(a, b);
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
}

public readonly struct MinOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(Half);
    public static T Apply(T a, T b) => T.Min(a, b);
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => Vector128.Min(a, b);
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);
}

/// <summary>PRelu: x &lt; 0 ? x * slope : x.</summary>
public readonly struct PReluOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static bool Vectorizable => typeof(T) != typeof(Half);
    public static T Apply(T x, T s) => x < T.Zero ? x * s : x;
    public static Vector128<T> Apply(Vector128<T> x, Vector128<T> s) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), x * s, x);
    public static Vector256<T> Apply(Vector256<T> x, Vector256<T> s) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), x * s, x);
}
