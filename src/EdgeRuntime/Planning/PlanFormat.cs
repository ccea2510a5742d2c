namespace EdgeRuntime.Planning;

/// <summary>Layout of a <c>.edge</c> plan file (all integers little-endian).
/// <code>
/// header (56 bytes)
///   0  magic      8 bytes  "EDGEPLAN"
///   8  version    u32      <see cref="Version"/>
///  12  flags      u32      0
///  16  bodyBytes  u64      length of the body that follows the header
///  24  sha256     32 bytes SHA-256 of the body
/// body
///   generator string; required ISA features (string list); arena, lower bound, persistent, weights
///   bytes (i64); planner name; the optimized graph (name, source, format, opset, streaming,
///   max frames, sample rate, metadata, tensors with type/shape/layout/quant/constant bytes,
///   inputs, outputs, nodes with attributes incl. tensor attributes); activation offsets.
/// </code>
/// Strings are i32 byte length + UTF-8. At load the memory plan is rebuilt deterministically from
/// the graph and must reproduce the stored arena/weights/persistent sizes and activation offsets.</summary>
public static class PlanFormat
{
    public static ReadOnlySpan<byte> Magic => "EDGEPLAN"u8;
    public const uint Version = 1;
    public const int HeaderBytes = 56;
    public const string Extension = ".edge";

    // Sanity limits: a reader refuses counts beyond these before allocating.
    public const int MaxStringBytes = 1 << 20;
    public const int MaxRank = 16;
    public const int MaxCount = 1 << 22;
}
