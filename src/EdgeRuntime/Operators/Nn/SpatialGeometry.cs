using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Nn;

/// <summary>Window geometry of Conv, ConvTranspose and the pooling operators over 1 to 3 spatial
/// dimensions, normalized to exactly 3 (missing leading dimensions have size 1, kernel 1, stride 1,
/// no padding) so every kernel is written once. Reads the ONNX attributes kernel_shape, strides,
/// dilations, pads (begin..., end...), auto_pad (NOTSET, SAME_UPPER, SAME_LOWER, VALID) and ceil_mode.</summary>
internal sealed class SpatialGeometry
{
    public const int Dims = 3;

    public int Rank { get; private init; }            // spatial dimensions in the model (1..3)
    public int[] In { get; } = [1, 1, 1];
    public int[] Out { get; } = [1, 1, 1];
    public int[] Kernel { get; } = [1, 1, 1];
    public int[] Stride { get; } = [1, 1, 1];
    public int[] Dilation { get; } = [1, 1, 1];
    public int[] PadBegin { get; } = [0, 0, 0];
    public int[] PadEnd { get; } = [0, 0, 0];

    public int InSize => In[0] * In[1] * In[2];
    public int OutSize => Out[0] * Out[1] * Out[2];
    public int KernelSize => Kernel[0] * Kernel[1] * Kernel[2];

    /// <summary>Output spatial dimensions in model rank.</summary>
    public int[] OutputSpatial => Out[(Dims - Rank)..];

    /// <summary>Forward window geometry (Conv, MaxPool, AveragePool). <paramref name="kernelFromWeights"/>
    /// is the weight tensor's spatial shape (Conv) or null when kernel_shape is required (pools).</summary>
    public static SpatialGeometry Forward(Graph graph, Node node, int[] inputSpatial, int[]? kernelFromWeights, bool allowCeil)
    {
        int r = inputSpatial.Length;
        if (r is < 1 or > Dims)
            throw NnChecks.Error(graph, node, $"{r} spatial dimensions are not supported (1 to {Dims})");
        var g = new SpatialGeometry { Rank = r };
        int o = Dims - r;
        long[] kernel = node.GetInts("kernel_shape")
            ?? kernelFromWeights?.Select(v => (long)v).ToArray()
            ?? throw NnChecks.Error(graph, node, "attribute kernel_shape is required");
        long[] strides = node.GetInts("strides") ?? Ones(r);
        long[] dilations = node.GetInts("dilations") ?? Ones(r);
        long[] pads = node.GetInts("pads") ?? new long[2 * r];
        Expect(graph, node, "kernel_shape", kernel, r);
        Expect(graph, node, "strides", strides, r);
        Expect(graph, node, "dilations", dilations, r);
        Expect(graph, node, "pads", pads, 2 * r);
        if (kernelFromWeights is not null && !kernel.SequenceEqual(kernelFromWeights.Select(v => (long)v)))
            throw NnChecks.Error(graph, node, $"kernel_shape [{string.Join(",", kernel)}] does not match the weights' spatial shape {NnChecks.Dims(kernelFromWeights)}");
        string autoPad = node.GetString("auto_pad", "NOTSET");
        bool ceil = node.GetInt("ceil_mode", 0) != 0;
        if (ceil && !allowCeil) throw NnChecks.Error(graph, node, "ceil_mode is not defined for this operator");

        for (int i = 0; i < r; i++)
        {
            int d = o + i;
            g.In[d] = inputSpatial[i];
            g.Kernel[d] = Positive(graph, node, "kernel_shape", kernel[i]);
            g.Stride[d] = Positive(graph, node, "strides", strides[i]);
            g.Dilation[d] = Positive(graph, node, "dilations", dilations[i]);
            long span = (long)(g.Kernel[d] - 1) * g.Dilation[d] + 1;
            switch (autoPad)
            {
                case "NOTSET" or "":
                {
                    if (pads[i] < 0 || pads[r + i] < 0) throw NnChecks.Error(graph, node, $"negative pads [{string.Join(",", pads)}]");
                    g.PadBegin[d] = NnChecks.CheckedInt(graph, node, pads[i], "pad");
                    g.PadEnd[d] = NnChecks.CheckedInt(graph, node, pads[r + i], "pad");
                    long avail = (long)g.In[d] + g.PadBegin[d] + g.PadEnd[d] - span;
                    if (avail < 0)
                        throw NnChecks.Error(graph, node, $"window {span} is larger than the padded input {g.In[d] + g.PadBegin[d] + g.PadEnd[d]} along spatial axis {i}");
                    long n = ceil ? (avail + g.Stride[d] - 1) / g.Stride[d] + 1 : avail / g.Stride[d] + 1;
                    // A window must start inside the input or its leading padding.
                    if (ceil && (n - 1) * g.Stride[d] >= (long)g.In[d] + g.PadBegin[d]) n--;
                    g.Out[d] = NnChecks.CheckedInt(graph, node, n, "output size");
                    break;
                }
                case "SAME_UPPER" or "SAME_LOWER":
                {
                    long n = ((long)g.In[d] + g.Stride[d] - 1) / g.Stride[d];
                    long total = Math.Max(0, (n - 1) * g.Stride[d] + span - g.In[d]);
                    long small = total / 2, large = total - small;
                    g.PadBegin[d] = (int)(autoPad == "SAME_UPPER" ? small : large);
                    g.PadEnd[d] = (int)(autoPad == "SAME_UPPER" ? large : small);
                    g.Out[d] = NnChecks.CheckedInt(graph, node, n, "output size");
                    break;
                }
                case "VALID":
                {
                    long avail = g.In[d] - span;
                    if (avail < 0) throw NnChecks.Error(graph, node, $"window {span} is larger than the input {g.In[d]} along spatial axis {i}");
                    g.Out[d] = NnChecks.CheckedInt(graph, node, avail / g.Stride[d] + 1, "output size");
                    break;
                }
                default:
                    throw NnChecks.Error(graph, node, $"unknown auto_pad '{autoPad}'");
            }
        }
        return g;
    }

    /// <summary>ConvTranspose geometry: <see cref="In"/> is the (smaller) input, <see cref="Out"/>
    /// the output; pads crop the full transposed result.</summary>
    public static SpatialGeometry Transposed(Graph graph, Node node, int[] inputSpatial, int[] kernelFromWeights)
    {
        int r = inputSpatial.Length;
        if (r is < 1 or > Dims)
            throw NnChecks.Error(graph, node, $"{r} spatial dimensions are not supported (1 to {Dims})");
        var g = new SpatialGeometry { Rank = r };
        int o = Dims - r;
        long[] kernel = node.GetInts("kernel_shape") ?? kernelFromWeights.Select(v => (long)v).ToArray();
        long[] strides = node.GetInts("strides") ?? Ones(r);
        long[] dilations = node.GetInts("dilations") ?? Ones(r);
        long[] outPad = node.GetInts("output_padding") ?? new long[r];
        long[]? outShape = node.GetInts("output_shape");
        long[] pads = node.GetInts("pads") ?? new long[2 * r];
        Expect(graph, node, "kernel_shape", kernel, r);
        Expect(graph, node, "strides", strides, r);
        Expect(graph, node, "dilations", dilations, r);
        Expect(graph, node, "output_padding", outPad, r);
        Expect(graph, node, "pads", pads, 2 * r);
        if (outShape is not null && outShape.Length == r + 2) outShape = outShape[2..];
        if (outShape is not null) Expect(graph, node, "output_shape", outShape, r);
        if (!kernel.SequenceEqual(kernelFromWeights.Select(v => (long)v)))
            throw NnChecks.Error(graph, node, $"kernel_shape [{string.Join(",", kernel)}] does not match the weights' spatial shape {NnChecks.Dims(kernelFromWeights)}");
        string autoPad = node.GetString("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
            throw NnChecks.Error(graph, node, $"unknown auto_pad '{autoPad}'");

        for (int i = 0; i < r; i++)
        {
            int d = o + i;
            g.In[d] = inputSpatial[i];
            g.Kernel[d] = Positive(graph, node, "kernel_shape", kernel[i]);
            g.Stride[d] = Positive(graph, node, "strides", strides[i]);
            g.Dilation[d] = Positive(graph, node, "dilations", dilations[i]);
            if (outPad[i] < 0) throw NnChecks.Error(graph, node, $"negative output_padding [{string.Join(",", outPad)}]");
            long full = (long)g.Stride[d] * (g.In[d] - 1) + outPad[i] + (long)(g.Kernel[d] - 1) * g.Dilation[d] + 1;
            long target = outShape is not null ? outShape[i]
                : autoPad is "SAME_UPPER" or "SAME_LOWER" ? (long)g.In[d] * g.Stride[d]
                : -1;
            if (target >= 0)
            {
                // A target beyond the full size is reached by appending zeros (+ bias), as ONNX Runtime does.
                long total = Math.Max(0, full - target);
                if (target <= 0) throw NnChecks.Error(graph, node, $"output_shape {target} must be ≥ 1 along spatial axis {i}");
                long small = total / 2, large = total - small;
                bool upper = autoPad == "SAME_UPPER";
                g.PadBegin[d] = (int)(upper ? small : large);
                g.PadEnd[d] = (int)(upper ? large : small);
                g.Out[d] = NnChecks.CheckedInt(graph, node, target, "output size");
            }
            else
            {
                if (autoPad != "VALID")
                {
                    if (pads[i] < 0 || pads[r + i] < 0) throw NnChecks.Error(graph, node, $"negative pads [{string.Join(",", pads)}]");
                    g.PadBegin[d] = NnChecks.CheckedInt(graph, node, pads[i], "pad");
                    g.PadEnd[d] = NnChecks.CheckedInt(graph, node, pads[r + i], "pad");
                }
                long n = full - g.PadBegin[d] - g.PadEnd[d];
                if (n <= 0) throw NnChecks.Error(graph, node, $"pads remove the whole output along spatial axis {i}");
                g.Out[d] = NnChecks.CheckedInt(graph, node, n, "output size");
            }
        }
        return g;
    }

    private static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();

    private static void Expect(Graph graph, Node node, string attr, long[] v, int n)
    {
        if (v.Length != n)
            throw NnChecks.Error(graph, node, $"{attr} has {v.Length} values [{string.Join(",", v)}], expected {n}");
    }

    private static int Positive(Graph graph, Node node, string attr, long v) =>
        v is >= 1 and <= int.MaxValue ? (int)v : throw NnChecks.Error(graph, node, $"{attr} value {v} must be ≥ 1");
}
