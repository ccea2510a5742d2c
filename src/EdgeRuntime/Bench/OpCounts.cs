namespace EdgeRuntime.Bench;

/// <summary>Operations one frame (sample) of a network costs, by kind, counted from its shape. The
/// regression fits one cost per kind, so the kinds are what a kernel actually spends time on.</summary>
public sealed class OpCounts
{
    /// <summary>Names of the features, in <see cref="Vector"/> order.</summary>
    public static readonly string[] Features =
    [
        "vector_mac",      // multiply-adds issued in 8-wide vectors (a row of n MACs costs ceil(n/8))
        "tail_mac",        // multiply-adds left over past the last full vector (scalar or masked tails)
        "horizontal_sum",  // reductions of a vector accumulator to a scalar
        "tanh",            // tanh evaluations
        "sigmoid",         // sigmoid evaluations
        "elementwise",     // other per-element work: gate mixing, bias, relu, copies
        "weight_bytes",    // bytes of weights streamed per frame (cache pressure)
        "layer_call",      // per-layer, per-call overhead, divided by frames per call
    ];

    public const int VectorWidth = 8;

    public double VectorMac { get; private set; }
    public double TailMac { get; private set; }
    public double HorizontalSum { get; private set; }
    public double Tanh { get; private set; }
    public double Sigmoid { get; private set; }
    public double Elementwise { get; private set; }
    public double WeightBytes { get; private set; }
    public double LayerCall { get; private set; }
    /// <summary>Plain MACs per frame (for information).</summary>
    public long Macs { get; private set; }

    public double[] Vector => [VectorMac, TailMac, HorizontalSum, Tanh, Sigmoid, Elementwise, WeightBytes, LayerCall];

    private static double Vec(int n) => Math.Ceiling(n / (double)VectorWidth);

    /// <summary>Per-frame counts for <paramref name="arch"/> run in calls of <paramref name="block"/> frames.</summary>
    public static OpCounts Of(ArchSpec arch, int block)
    {
        if (block < 1) throw new ArgumentOutOfRangeException(nameof(block));
        var c = new OpCounts();
        int width = arch.InputChannels;
        foreach (var s in arch.Stages)
        {
            c.LayerCall += 1.0 / block;
            switch (s.Kind)
            {
                case StageKind.Dense:
                    c.Matvec(s.Out, s.In);
                    c.Elementwise += s.Out;
                    width = s.Out;
                    break;
                case StageKind.Gru:
                    c.Matvec(3 * s.Out, s.In);
                    c.Matvec(3 * s.Out, s.Out);
                    c.Sigmoid += 2 * s.Out;
                    c.Tanh += s.Out;
                    c.Elementwise += 8 * s.Out;
                    width = s.Out;
                    break;
                case StageKind.Lstm:
                    c.Matvec(4 * s.Out, s.In);
                    c.Matvec(4 * s.Out, s.Out);
                    c.Sigmoid += 3 * s.Out;
                    c.Tanh += 2 * s.Out;
                    c.Elementwise += 6 * s.Out;
                    width = s.Out;
                    break;
                case StageKind.Conv1d:
                    c.Matvec(s.Out, s.In * s.Kernel);
                    c.Elementwise += s.Out + s.In; // bias, history write
                    width = s.Out;
                    break;
                case StageKind.Tanh: c.Tanh += width; break;
                case StageKind.Sigmoid: c.Sigmoid += width; break;
                case StageKind.Relu: c.Elementwise += width; break;
            }
        }
        return c;
    }

    /// <summary>rows×cols matrix-vector product: vectorized along the longer axis.</summary>
    private void Matvec(int rows, int cols)
    {
        Macs += (long)rows * cols;
        VectorMac += Math.Min(rows * Vec(cols), cols * Vec(rows));
        TailMac += Math.Min(rows * (cols % VectorWidth), cols * (rows % VectorWidth));
        HorizontalSum += cols >= rows ? rows : 0;
        WeightBytes += 4.0 * rows * cols;
    }
}
