using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Onnx;

/// <summary>A tensor uses an element type the runtime has no representation for (string, bfloat16,
/// complex, float8...). Separate from other model errors so the conformance suite can report such
/// cases as skipped with the type as the reason.</summary>
public sealed class UnsupportedDataTypeException(string where, string typeName)
    : ModelException($"{where}: element type {typeName} is not supported")
{
    public string TypeName { get; } = typeName;
}
