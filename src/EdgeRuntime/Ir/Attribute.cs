namespace EdgeRuntime.Ir;

public enum AttributeKind { Float, Int, String, Tensor, Floats, Ints, Strings, Graph }

/// <summary>A node attribute (ONNX-shaped; other importers map onto the same kinds).</summary>
public sealed class Attribute
{
    public AttributeKind Kind { get; init; }
    public float F { get; init; }
    public long I { get; init; }
    public string S { get; init; } = "";
    public Tensor? T { get; init; }
    public float[] Floats { get; init; } = [];
    public long[] Ints { get; init; } = [];
    public string[] Strings { get; init; } = [];

    public static Attribute Of(long v) => new() { Kind = AttributeKind.Int, I = v };
    public static Attribute Of(float v) => new() { Kind = AttributeKind.Float, F = v };
    public static Attribute Of(string v) => new() { Kind = AttributeKind.String, S = v };
    public static Attribute Of(long[] v) => new() { Kind = AttributeKind.Ints, Ints = v };
    public static Attribute Of(float[] v) => new() { Kind = AttributeKind.Floats, Floats = v };
    public static Attribute Of(string[] v) => new() { Kind = AttributeKind.Strings, Strings = v };
    public static Attribute Of(Tensor v) => new() { Kind = AttributeKind.Tensor, T = v };
}
