using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Streaming;

namespace EdgeRuntime.Import.RTNeural;

/// <summary>Builds a streaming, time-major ([T, C]) sequential graph layer by layer, as RTNeural
/// runs its models: one frame per step, state carried between calls. Used by the JSON importers and
/// by tests/conformance for PyTorch state_dicts whose layer configuration lives outside the file.</summary>
public sealed class RtNeuralGraphBuilder
{
    public const int DefaultMaxFrames = 64;
    private int _index;

    public RtNeuralGraphBuilder(string source, int inputChannels, int maxFrames = DefaultMaxFrames)
    {
        if (inputChannels < 1) throw new ModelException($"{source}: input width must be ≥ 1, got {inputChannels}");
        Graph = new Graph { Name = Path.GetFileNameWithoutExtension(source), Source = source, Format = "rtneural", Streaming = true, MaxFrames = maxFrames };
        Graph.Add(new Tensor("input", DataType.Float32, [maxFrames, inputChannels]));
        Graph.Inputs.Add("input");
        Current = "input";
        Channels = inputChannels;
    }

    public Graph Graph { get; }
    /// <summary>Name of the tensor the next layer reads.</summary>
    public string Current { get; private set; }
    /// <summary>Width (channels per frame) of <see cref="Current"/>.</summary>
    public int Channels { get; private set; }

    private string Const(string stem, int[] shape, float[] data)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
            throw new ModelException($"{Graph.Source}: {stem}: {data.Length} values given for shape [{string.Join(",", shape)}]");
        string name = Graph.UniqueName(stem);
        Graph.Add(Tensor.FromFloats(name, shape, data));
        return name;
    }

    private string Emit(string opType, string stem, List<string> inputs, int width, Action<Node>? attrs = null, string domain = "edge")
    {
        string name = $"{stem}{_index++}";
        string output = Graph.UniqueName(name + "_out");
        var node = new Node(opType, name, inputs, [output], domain);
        attrs?.Invoke(node);
        Graph.Nodes.Add(node);
        Current = output;
        Channels = width;
        return output;
    }

    /// <summary>Y = act(X·W + b); W is [in, out] row-major (Keras layout).</summary>
    public string Dense(float[] w, int inputs, int outputs, float[]? bias, string activation = "")
    {
        Expect(inputs, "dense");
        string wn = Const($"dense{_index}_w", [inputs, outputs], w);
        var ins = new List<string> { Current, wn };
        if (bias is not null) ins.Add(Const($"dense{_index}_b", [outputs], bias));
        return Emit("Dense", "dense", ins, outputs, n => n.Set("activation", Ir.Attribute.Of(activation)));
    }

    /// <summary>Standalone activation (tanh, relu, sigmoid, softmax over channels, elu) as the ONNX operator.</summary>
    public string Activation(string kind)
    {
        string op = FrameActivation.Parse(kind, Graph.Source) switch
        {
            FrameActivationKind.None => "",
            FrameActivationKind.Tanh => "Tanh",
            FrameActivationKind.Relu => "Relu",
            FrameActivationKind.Sigmoid => "Sigmoid",
            FrameActivationKind.Softmax => "Softmax",
            FrameActivationKind.Elu => "Elu",
            var k => throw new ModelException($"{Graph.Source}: activation '{kind}' needs parameters ({k})"),
        };
        if (op.Length == 0) return Current;
        return Emit(op, op.ToLowerInvariant(), [Current], Channels, n =>
        {
            if (op == "Softmax") n.Set("axis", Ir.Attribute.Of(-1L));
            if (op == "Elu") n.Set("alpha", Ir.Attribute.Of(1f));
        }, domain: "");
    }

    /// <summary>PReLU with one slope per channel, or one shared slope (ONNX PRelu, slopes broadcast over frames).</summary>
    public string PRelu(float[] slopes)
    {
        string s = Const($"prelu{_index}_alpha", [slopes.Length], slopes);
        return Emit("PRelu", "prelu", [Current, s], Channels, domain: "");
    }

    /// <summary>Inference batch normalization: y = (x − mean)/√(var+eps)·gamma + beta, per channel
    /// (per filter, innermost, for 2-D frames).</summary>
    public string BatchNorm(float[] mean, float[] variance, float[]? gamma, float[]? beta, float epsilon)
    {
        int s = mean.Length;
        var scale = new float[s];
        var shift = new float[s];
        for (int i = 0; i < s; i++)
        {
            double sc = (gamma?[i] ?? 1.0) / Math.Sqrt(variance[i] + (double)epsilon);
            scale[i] = (float)sc;
            shift[i] = (float)((beta?[i] ?? 0.0) - mean[i] * sc);
        }
        string sn = Const($"bn{_index}_scale", [s], scale);
        string hn = Const($"bn{_index}_shift", [s], shift);
        return Emit("ChannelAffine", "bn", [Current, sn, hn], Channels);
    }

    /// <summary>Causal streaming Conv1D; W is [Cout, Cin/groups, K] with tap K−1 on the current frame.</summary>
    public string Conv1D(float[] w, int cout, int kernel, int dilation, int groups, float[]? bias, string activation = "")
    {
        if (Channels % groups != 0) throw new ModelException($"{Graph.Source}: conv1d: {Channels} input channels are not divisible by groups {groups}");
        string wn = Const($"conv{_index}_w", [cout, Channels / groups, kernel], w);
        var ins = new List<string> { Current, wn };
        if (bias is not null) ins.Add(Const($"conv{_index}_b", [cout], bias));
        // tanh, relu, sigmoid and elu run inside the convolution's kernel; softmax follows as its own node.
        bool fused = FrameActivation.Fusable(FrameActivation.Parse(activation, Graph.Source), out _);
        Emit("CausalConv1D", "conv", ins, cout, n =>
        {
            n.Set("kernel", Ir.Attribute.Of((long)kernel)).Set("dilation", Ir.Attribute.Of((long)dilation)).Set("groups", Ir.Attribute.Of((long)groups));
            if (fused && activation.Length > 0) n.Set("activation", Ir.Attribute.Of(activation));
        });
        return fused ? Current : Activation(activation);
    }

    /// <summary>Streaming Conv2D (see edge:CausalConv2D); W is [KT, KF, Cin, Cout].</summary>
    public string Conv2D(float[] w, int kt, int kf, int cin, int cout, int dilation, int stride, int fin, int fout, int padLeft, bool same, float[]? bias)
    {
        string wn = Const($"conv2d{_index}_w", [kt, kf, cin, cout], w);
        var ins = new List<string> { Current, wn };
        if (bias is not null) ins.Add(Const($"conv2d{_index}_b", [cout], bias));
        return Emit("CausalConv2D", "conv2d", ins, fout * cout, n =>
        {
            n.Set("dilation", Ir.Attribute.Of((long)dilation)).Set("stride", Ir.Attribute.Of((long)stride));
            n.Set("features_in", Ir.Attribute.Of((long)fin)).Set("features_out", Ir.Attribute.Of((long)fout));
            n.Set("pad_left", Ir.Attribute.Of((long)padLeft)).Set("same_padding", Ir.Attribute.Of(same ? 1L : 0L));
        });
    }

    /// <summary>GRU in ONNX layout: W [3H, in], R [3H, H] (gates z, r, h), B [6H] (Wb then Rb).</summary>
    public string Gru(float[] w, float[] r, float[] b, int hidden, bool linearBeforeReset)
        => Recurrent("GRU", w, r, b, hidden, 3, n => n.Set("linear_before_reset", Ir.Attribute.Of(linearBeforeReset ? 1L : 0L)));

    /// <summary>LSTM in ONNX layout: W [4H, in], R [4H, H] (gates i, o, f, c), B [8H].</summary>
    public string Lstm(float[] w, float[] r, float[] b, int hidden) => Recurrent("LSTM", w, r, b, hidden, 4, null);

    private string Recurrent(string op, float[] w, float[] r, float[] b, int hidden, int gates, Action<Node>? extra)
    {
        int gh = gates * hidden;
        string stem = op.ToLowerInvariant() + _index;
        string wn = Const(stem + "_W", [1, gh, Channels], w);
        string rn = Const(stem + "_R", [1, gh, hidden], r);
        string bn = Const(stem + "_B", [1, 2 * gh], b);
        return Emit(op, op.ToLowerInvariant(), [Current, wn, rn, bn], hidden, n =>
        {
            n.Set("hidden_size", Ir.Attribute.Of((long)hidden));
            extra?.Invoke(n);
        });
    }

    /// <summary>Y = a + b (residual connection; ONNX Add).</summary>
    public string Sum(string a, string b, int width)
    {
        Current = a;
        return Emit("Add", "add", [a, b], width, domain: "");
    }

    /// <summary>Continue building from an earlier tensor (branches).</summary>
    public void Select(string tensor, int width) { Current = tensor; Channels = width; }

    private void Expect(int inputs, string what)
    {
        if (inputs != Channels) throw new ModelException($"{Graph.Source}: {what} expects {inputs} inputs but the previous layer gives {Channels}");
    }

    public Graph Finish()
    {
        Graph.Outputs.Clear();
        if (Current == "input")
            Emit("Identity", "identity", [Current], Channels, domain: "");
        Graph.Outputs.Add(Current);
        return Graph;
    }
}
