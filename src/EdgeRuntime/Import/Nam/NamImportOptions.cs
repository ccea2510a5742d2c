namespace EdgeRuntime.Import.Nam;

/// <summary>Choices made when importing a <c>.nam</c> file.</summary>
public sealed class NamImportOptions
{
    /// <summary>NAM's <c>SetSlimmableSize(v)</c>: picks a SlimmableContainer submodel (the first with
    /// v &lt; max_value) or slices a slimmable WaveNet. Null: the full model (the core's default).</summary>
    public double? SlimmableSize { get; set; }

    /// <summary>Frames per call the streaming plan is built for (the core's maxBufferSize).</summary>
    public int MaxFrames { get; set; } = 64;
}
