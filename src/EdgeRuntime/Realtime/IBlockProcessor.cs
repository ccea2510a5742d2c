namespace EdgeRuntime.Realtime;

/// <summary>What the real-time loop runs once per block; the loop knows nothing else about models.
/// <see cref="Process"/> must not allocate, lock or block.</summary>
public interface IBlockProcessor
{
    /// <summary>Frames per block (the model's block size).</summary>
    int BlockFrames { get; }
    double SampleRate { get; }
    /// <summary>Process one block; <paramref name="input"/> may be shorter than <see cref="BlockFrames"/>
    /// for the last block of a finite source.</summary>
    void Process(ReadOnlySpan<float> input, Span<float> output);
}
