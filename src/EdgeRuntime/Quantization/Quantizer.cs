using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using Attribute = EdgeRuntime.Ir.Attribute;

namespace EdgeRuntime.Quantization;

/// <summary>Post-training int8 quantization. Activation ranges come from running the fp32 graph on
/// the calibration inputs (min/max or percentile); activations are asymmetric int8 per tensor, weights
/// symmetric int8 (per output channel for convolutions). The int8 graph is run on the same inputs and each
/// layer's SNR against fp32 is reported.
/// <list type="bullet">
/// <item>TFLite float graphs (every node of domain "tflite"): rewritten into TFLite int8 operators (CONV_2D and
/// DEPTHWISE_CONV_2D weights per channel, FULLY_CONNECTED per tensor, int32 biases); a QUANTIZE on the input and
/// DEQUANTIZE on the outputs keep the float interface.</item>
/// <item>ONNX float graphs: <see cref="OnnxQuantizer"/> writes the QDQ form that QDQ folding turns into the
/// integer operators; layers without an int8 kernel (recurrent, unsupported ops) stay fp32, with a note.</item>
/// </list></summary>
public static class Quantizer
{
    private static readonly HashSet<string> s_supported = new(StringComparer.Ordinal)
    {
        "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "RESHAPE", "SOFTMAX", "ADD",
    };

    public static Graph Quantize(Graph fp32, CalibrationOptions o, out QuantReport report)
    {
        if (fp32.Inputs.Count != 1) throw new ModelException($"{fp32.Source}: calibration needs a model with one input, it has {fp32.Inputs.Count}");
        if (!fp32.Nodes.All(n => n.Domain == "tflite")) return OnnxQuantizer.Quantize(fp32, o, out report);
        RequireFloatInterface(fp32);
        var unsupported = fp32.Nodes.Where(n => !s_supported.Contains(n.OpType)).Select(n => "tflite:" + n.OpType).Distinct().ToList();
        if (unsupported.Count > 0)
            throw new ModelException($"{fp32.Source}: post-training quantization does not handle {string.Join(", ", unsupported)} yet (supported: TFLite float {string.Join(", ", s_supported.Order())})");

        var activations = fp32.Nodes.SelectMany(n => n.Outputs).Where(s => s.Length > 0).Distinct().ToList();
        var calib = new Calibration(fp32, activations, o);
        QuantParams Range(string name) => calib.Range(name);

        // 2. int8 graph.
        var g = Clone(fp32);
        g.Name = fp32.Name + "-int8";
        string input = g.Inputs[0];
        string inputQ = g.UniqueName(input + "/int8");
        g.Add(new Tensor(inputQ, DataType.Int8, (int[])g[input].Shape.Clone(), null, Range(input)));
        foreach (var n in g.Nodes)
            for (int k = 0; k < n.Inputs.Count; k++) if (n.Inputs[k] == input) n.Inputs[k] = inputQ;
        g.Nodes.Insert(0, new Node("QUANTIZE", inputQ, [input], [inputQ], "tflite"));

        var outputRename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var outName in g.Outputs)
        {
            string q = g.UniqueName(outName + "/int8");
            outputRename[outName] = q;
            g.Add(new Tensor(q, DataType.Int8, (int[])g[outName].Shape.Clone()));
        }
        foreach (var n in g.Nodes)
        {
            for (int k = 0; k < n.Inputs.Count; k++) if (outputRename.TryGetValue(n.Inputs[k], out var r)) n.Inputs[k] = r;
            for (int k = 0; k < n.Outputs.Count; k++) if (outputRename.TryGetValue(n.Outputs[k], out var r)) n.Outputs[k] = r;
        }
        string Original(string t) => outputRename.FirstOrDefault(kv => kv.Value == t).Key ?? t;

        foreach (var n in g.Nodes.Skip(1).ToList())
        {
            var x = g[n.Inputs[0]];
            var y = g[n.Outputs[0]];
            y.Type = DataType.Int8;
            y.Quant = n.OpType switch
            {
                "RESHAPE" or "AVERAGE_POOL_2D" => x.Quant,
                "SOFTMAX" => QuantParams.PerTensor(1f / 256, -128),
                _ => Range(Original(n.Outputs[0])),
            };
            if (n.OpType is "CONV_2D" or "DEPTHWISE_CONV_2D" or "FULLY_CONNECTED")
            {
                var w = g[n.Inputs[1]];
                int axis = n.OpType == "CONV_2D" ? 0 : n.OpType == "DEPTHWISE_CONV_2D" ? 3 : -1;
                var (wq, scales) = QuantizeWeights(w, axis);
                string wName = g.UniqueName(w.Name + "/int8");
                g.Add(new Tensor(wName, DataType.Int8, (int[])w.Shape.Clone(), wq,
                    axis < 0 ? QuantParams.PerTensor(scales[0], 0) : new QuantParams(scales, new long[scales.Length], axis)));
                n.Inputs[1] = wName;
                if (n.HasInput(2))
                {
                    var b = g[n.Inputs[2]];
                    float inScale = x.Quant!.Scales[0];
                    var bf = b.ConstantFloats;
                    var bq = new int[bf.Length];
                    for (int c = 0; c < bq.Length; c++)
                        bq[c] = (int)Math.Clamp(Math.Round(bf[c] / ((double)inScale * scales[scales.Length == 1 ? 0 : c])), int.MinValue, int.MaxValue);
                    string bName = g.UniqueName(b.Name + "/int32");
                    g.Add(new Tensor(bName, DataType.Int32, (int[])b.Shape.Clone(), MemoryMarshal.AsBytes(bq.AsSpan()).ToArray()));
                    n.Inputs[2] = bName;
                }
            }
        }
        foreach (var (outName, q) in outputRename)
            g.Nodes.Add(new Node("DEQUANTIZE", outName, [q], [outName], "tflite"));
        Compiler.RemoveDeadNodes(g);

        // 3. Per-layer SNR of the int8 graph against fp32 on the calibration inputs.
        report = new QuantReport { CalibrationInputs = calib.Inputs.Count, RangeMethod = calib.MethodName };
        var layers = fp32.Nodes.Select(n => (Node: n, Int8Name: outputRename.GetValueOrDefault(n.Outputs[0], n.Outputs[0]))).ToList();
        var snr = layers.Select(_ => new Calibration.Snr()).ToArray();
        using (var s = new Session(Compiler.Compile(Clone(g), Keep(layers.Select(l => l.Int8Name)))))
        {
            for (int i = 0; i < calib.Inputs.Count; i++)
            {
                calib.Inputs[i].CopyTo(s.Input(0));
                s.Run();
                for (int l = 0; l < layers.Count; l++)
                {
                    var q = s.Plan.Graph[layers[l].Int8Name].Quant!;
                    var bytes = s.TensorBytes(layers[l].Int8Name).ToArray();
                    snr[l].Add(calib.Reference[i][layers[l].Node.Outputs[0]], e => ((sbyte)bytes[e] - q.ZeroPoints[0]) * (double)q.Scales[0]);
                }
            }
        }
        for (int l = 0; l < layers.Count; l++)
            report.Layers.Add(new LayerSnr(layers[l].Node.Name, layers[l].Node.OpType, layers[l].Node.Outputs[0], true, snr[l].Db));
        report.Notes.Add("all layers run on int8 kernels; input QUANTIZE and output DEQUANTIZE keep the float interface");
        return g;
    }

    internal static void RequireFloatInterface(Graph g)
    {
        if (g.Inputs.Concat(g.Outputs).Any(n => !g.TryGet(n, out var t) || t.Type != DataType.Float32))
            throw new ModelException($"{g.Source}: inputs and outputs must be float32 to quantize");
    }

    internal static CompileOptions Keep(IEnumerable<string> tensors)
    {
        var o = new CompileOptions();
        o.ExtraOutputs.AddRange(tensors.Distinct());
        return o;
    }

    internal static (byte[] Data, float[] Scales) QuantizeWeights(Tensor w, int axis)
    {
        var f = w.ConstantFloats;
        int channels = axis < 0 ? 1 : w.Shape[axis];
        long inner = 1;
        if (axis >= 0) for (int d = axis + 1; d < w.Shape.Length; d++) inner *= w.Shape[d];
        int Channel(long i) => axis < 0 ? 0 : (int)(i / inner % channels);
        var maxAbs = new float[channels];
        for (long i = 0; i < f.Length; i++) maxAbs[Channel(i)] = Math.Max(maxAbs[Channel(i)], Math.Abs(f[(int)i]));
        var scales = maxAbs.Select(m => m > 0 ? m / 127f : 1f).ToArray();
        var q = new byte[f.Length];
        for (long i = 0; i < f.Length; i++)
            q[i] = (byte)(sbyte)Math.Clamp(Math.Round(f[(int)i] / scales[Channel(i)]), -127, 127);
        return (q, scales);
    }

    /// <summary>A deep copy of the graph structure (constant bytes are shared: nothing writes them).</summary>
    public static Graph Clone(Graph src)
    {
        var g = new Graph { Name = src.Name, Source = src.Source, Format = src.Format, Opset = src.Opset, Streaming = src.Streaming, MaxFrames = src.MaxFrames, SampleRate = src.SampleRate };
        foreach (var (k, v) in src.Metadata) g.Metadata[k] = v;
        foreach (var t in src.Tensors.Values) g.Add(new Tensor(t.Name, t.Type, (int[])t.Shape.Clone(), t.Constant, t.Quant) { Layout = t.Layout });
        foreach (var n in src.Nodes)
        {
            var c = new Node(n.OpType, n.Name, n.Inputs, n.Outputs, n.Domain);
            foreach (var (k, v) in n.Attributes) c.Attributes[k] = v;
            g.Nodes.Add(c);
        }
        g.Inputs.AddRange(src.Inputs);
        g.Outputs.AddRange(src.Outputs);
        return g;
    }
}
