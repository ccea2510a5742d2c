namespace EdgeRuntime.Cli;

/// <summary>One node of the compiled graph as <c>edgert info --json</c> reports it.</summary>
public sealed record InfoOperator(
    int Index,
    string OpType,
    string Name,
    string[] Inputs,
    string[] InputShapes,
    string[] Outputs,
    string[] OutputShapes,
    long Macs,
    long Params,
    long ScratchBytes,
    long PersistentBytes,
    string Kernel,
    string? FusedActivation);
