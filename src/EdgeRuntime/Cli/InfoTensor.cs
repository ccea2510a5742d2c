namespace EdgeRuntime.Cli;

/// <summary>A graph input or output as <c>edgert info --json</c> reports it.</summary>
public sealed record InfoTensor(string Name, string Type, int[] Shape, long Bytes);
