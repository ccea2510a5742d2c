namespace EdgeRuntime.Ir;

/// <summary>A supported operator is used with an attribute value or optional input/output the runtime
/// does not implement (e.g. MaxPool's Indices output). The message names the node and the feature.
/// Conformance suites report such cases as skipped with this message as the reason.</summary>
public sealed class UnsupportedFeatureException(string message) : ModelException(message);
