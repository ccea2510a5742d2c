using EdgeRuntime.Kernels.Isa;

namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>What <see cref="GruCell"/> and <see cref="LstmCell"/> share: the checked ONNX weight shapes (W [gates·H, I],
/// R [gates·H, H], optional Wb/Rb [gates·H]), the path and lane choice (<see cref="FramePath"/>), and the hidden
/// vector layout (H padded to whole vectors, grouped one or two vectors per product group).</summary>
public abstract class FrameCell
{
    private protected FrameCell(string name, int gates, KernelPath path, int inputSize, int hidden,
        ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb)
    {
        if (inputSize < 0 || hidden < 1) throw new ArgumentException($"{name} cell: input size {inputSize} and hidden size {hidden} must be ≥ 0 and ≥ 1");
        if (w.Length != gates * hidden * inputSize || r.Length != gates * hidden * hidden)
            throw new ArgumentException($"{name} cell: W must have {gates * hidden * inputSize} floats and R {gates * hidden * hidden}, got {w.Length} and {r.Length}");
        if (!wb.IsEmpty && wb.Length != gates * hidden || !rb.IsEmpty && rb.Length != gates * hidden)
            throw new ArgumentException($"{name} cell: biases must have {gates * hidden} floats");
        Path = FramePath.Choose(path, hidden);
        Lanes = FramePath.Lanes(Path);
        InputSize = inputSize;
        Hidden = hidden;
        PaddedHidden = FramePath.RoundUp(hidden, Lanes);
        Vectors = PaddedHidden / Lanes;
        VectorsPerGroup = FrameMath.VectorsPerGroup(Path);
    }

    public KernelPath Path { get; }
    public int Lanes { get; }
    public int InputSize { get; }
    public int Hidden { get; }
    /// <summary>Hidden rounded up to a multiple of <see cref="Lanes"/>.</summary>
    public int PaddedHidden { get; }
    private protected int Vectors { get; }
    private protected int VectorsPerGroup { get; }

    /// <summary>The current h (Hidden floats) inside a cell's state.</summary>
    public static unsafe float* HiddenState(float* state) => state;
}
