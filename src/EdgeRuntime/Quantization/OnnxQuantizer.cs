using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Quantization;

/// <summary>Post-training int8 quantization of a float ONNX graph into QDQ form, which QDQ folding then compiles
/// onto the integer kernels.
/// <para>The graph is first shape-inferred and constant/BatchNorm-folded (so BatchNorm is quantized inside its
/// Conv), then run on the calibration inputs. Layers with an int8 kernel: Conv (1-D/2-D), Gemm and MatMul with
/// constant weights, Add of two activations, MaxPool, AveragePool, GlobalAveragePool, the data-movement ops
/// (Flatten, Reshape, Squeeze, Unsqueeze, Transpose, Identity) after an int8 layer, Relu/Clip (the output clamp
/// of the Conv/Gemm/MatMul/Add before them, else a lookup table) and the unary activations QDQ folding turns into
/// lookup tables. Activations: asymmetric int8 per tensor over the calibrated range (MaxPool and data movement keep
/// their input's parameters, so they are exact); weights: symmetric int8 per output channel; biases stay float and
/// are quantized to int32 by the folding. Each int8 layer's output gets QuantizeLinear → DequantizeLinear, each
/// int8 layer's weights a DequantizeLinear. Everything else (recurrent layers, other ops) stays fp32 and is
/// listed in the notes.</para>
/// <para>The QDQ graph is compiled to check that every int8 layer folded (a layer that does not is returned to
/// fp32 and the graph rebuilt), and run on the calibration inputs: each layer's SNR (dB) against the fp32
/// model.</para></summary>
public static class OnnxQuantizer
{
    private static readonly HashSet<string> s_compute = new(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul", "Add" };
    private static readonly HashSet<string> s_samePaRams = new(StringComparer.Ordinal) { "MaxPool", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity" };
    private static readonly HashSet<string> s_lookup = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Erf", "Gelu",
    };
    private static readonly HashSet<string> s_recurrent = new(StringComparer.Ordinal) { "LSTM", "GRU", "RNN" };

    /// <summary>One int8 layer: the node (with the Relu/Clip it absorbs, if any) and the tensor it quantizes.</summary>
    private sealed record Layer(Node Node, Node? Activation)
    {
        public string Output => (Activation ?? Node).Outputs[0];
        public string Name => Node.Name.Length > 0 ? Node.Name : Output;
        public string OpType => Activation is null ? Node.OpType : $"{Node.OpType}+{Activation.OpType}";
    }

    public static Graph Quantize(Graph model, CalibrationOptions o, out QuantReport report)
    {
        var fp32 = Prepare(model);
        var activations = fp32.Nodes.SelectMany(n => n.Outputs).Where(s => s.Length > 0 && fp32[s].Type == DataType.Float32).Distinct().ToList();
        var calib = new Calibration(fp32, activations, o);
        var notes = new List<string>();
        var excluded = new HashSet<Node>();
        for (int attempt = 0; ; attempt++)
        {
            var layers = Select(fp32, excluded, attempt == 0 ? notes : null);
            var (g, quantized) = Build(fp32, layers, calib);
            var snrNames = fp32.Nodes.Where(n => !layers.Any(l => ReferenceEquals(l.Node, n) || ReferenceEquals(l.Activation, n)))
                .Select(n => n.Outputs[0]).Where(t => fp32[t].Type == DataType.Float32).Concat(quantized.Values.Select(v => v.Q));
            var plan = Compiler.Compile(Quantizer.Clone(g), Quantizer.Keep(snrNames));
            var unfolded = layers.Where(l => plan.Graph.Producer(quantized[l.Output].Q) is { OpType: "QuantizeLinear" }).ToList();
            if (unfolded.Count > 0 && attempt < 4)
            {
                foreach (var l in unfolded)
                {
                    excluded.Add(l.Node);
                    notes.Add($"{l.OpType} '{l.Name}' stays fp32: its QDQ group does not fold into an integer operator");
                }
                continue;
            }
            report = Report(fp32, layers, quantized, plan, calib);
            report.Notes.AddRange(notes);
            int int8 = report.Layers.Count(l => l.Int8);
            report.Notes.Insert(0, $"{int8} of {report.Layers.Count} layers run on int8 kernels; the input is quantized and the outputs dequantized, so the model keeps its float interface");
            g.Name = model.Name + "-int8";
            return g;
        }
    }

    /// <summary>Shape inference, constant folding and BatchNorm folding on a copy (no activation fusion: QDQ
    /// folding fuses Relu/Clip itself).</summary>
    private static Graph Prepare(Graph model)
    {
        var g = Quantizer.Clone(model);
        var unsupported = Operators.OperatorRegistry.Unsupported(g);
        if (unsupported.Count > 0) throw new UnsupportedOperatorException(unsupported, g.Source);
        if (g.Inputs.Any(i => !g[i].ShapeKnown))
            throw new ModelException($"{g.Source}: input shapes must be known to calibrate (give --shape NAME=d0,d1,...)");
        ShapeInference.Run(g);
        Quantizer.RequireFloatInterface(g);
        ConstantFolding.Run(g);
        BatchNormFolding.Run(g);
        ShapeInference.Run(g);
        Compiler.RemoveDeadNodes(g);
        foreach (var n in g.Nodes.Where(n => n.Name.Length == 0)) n.Name = n.Outputs[0];
        return g;
    }

    private static bool IsActivation(Graph g, string t) => t.Length > 0 && g.TryGet(t, out var x) && !x.IsConstant && x.Type == DataType.Float32 && x.ShapeKnown;
    private static bool IsConstFloat(Graph g, string t) => g.TryGet(t, out var x) && x.IsConstant && x.Type == DataType.Float32;

    /// <summary>Whether <paramref name="n"/> has an int8 form, and why not (for the notes).</summary>
    private static string? Unquantizable(Graph g, Node n, ISet<string> quantizedTensors)
    {
        if (n.Domain is not ("" or "ai.onnx")) return "not an ONNX operator";
        if (n.Inputs.Count == 0 || !IsActivation(g, n.Inputs[0]) || n.Outputs.Count == 0 || !IsActivation(g, n.Outputs[0])) return "not a float activation";
        if (s_recurrent.Contains(n.OpType)) return "recurrent layers stay fp32";
        switch (n.OpType)
        {
            case "Conv":
                return n.Inputs.Count >= 2 && IsConstFloat(g, n.Inputs[1]) && g[n.Inputs[1]].Shape.Length is 3 or 4
                    && (!n.HasInput(2) || IsConstFloat(g, n.Inputs[2])) ? null : "needs constant float weights (1-D or 2-D)";
            case "Gemm":
                if (!IsConstFloat(g, n.Inputs[1]) || g[n.Inputs[1]].Shape.Length != 2) return "needs constant float B";
                if (n.HasInput(2))
                {
                    int cols = n.GetInt("transB", 0) != 0 ? g[n.Inputs[1]].Shape[0] : g[n.Inputs[1]].Shape[1];
                    var c = g[n.Inputs[2]];
                    if (!IsConstFloat(g, n.Inputs[2]) || c.ElementCount != cols || c.Shape.Length == 0 || c.Shape[^1] != cols) return "C must be a constant per-column bias";
                }
                return null;
            case "MatMul":
                return IsConstFloat(g, n.Inputs[1]) && g[n.Inputs[1]].Shape.Length == 2 && g[n.Inputs[0]].Shape.Length >= 2 ? null : "needs constant 2-D float weights";
            case "Add":
                return n.Inputs.Count == 2 && IsActivation(g, n.Inputs[1]) ? null : "adds a constant (only activation + activation is int8)";
            case "MaxPool":
                return n.Outputs.Count == 1 || n.Outputs[1].Length == 0 ? null : "the Indices output has no int8 form";
            case "AveragePool" or "GlobalAveragePool":
                return g[n.Inputs[0]].Shape.Length >= 3 ? null : "needs [N, C, spatial...]";
            default:
                if (s_samePaRams.Contains(n.OpType))
                    return quantizedTensors.Contains(n.Inputs[0]) ? null : "data movement stays in the precision of its input";
                if (s_lookup.Contains(n.OpType))
                    return n.Inputs.Skip(1).All(i => i.Length == 0 || g[i].IsConstant) ? null : "bounds are not constant";
                return "no int8 kernel";
        }
    }

    /// <summary>The int8 layers, in order, with Relu/Clip absorbed by the compute op before them.</summary>
    private static List<Layer> Select(Graph g, ISet<Node> excluded, List<string>? notes)
    {
        var layers = new List<Layer>();
        var absorbed = new HashSet<Node>();
        var quantizedTensors = new HashSet<string>(StringComparer.Ordinal) { g.Inputs[0] };
        foreach (var n in g.Nodes)
        {
            if (absorbed.Contains(n)) continue;
            string? why = excluded.Contains(n) ? "its QDQ group does not fold" : Unquantizable(g, n, quantizedTensors);
            if (why is not null)
            {
                if (notes is not null && !excluded.Contains(n)) notes.Add($"{n.OpType} '{n.Name}' stays fp32: {why}");
                continue;
            }
            Node? act = null;
            if (s_compute.Contains(n.OpType) && !g.Outputs.Contains(n.Outputs[0]) && g.Consumers(n.Outputs[0]).ToList() is [{ OpType: "Relu" or "Clip" } a]
                && a.Domain is "" or "ai.onnx" && !excluded.Contains(a) && ActivationFusion.Describe(g, a) is not null)
            {
                act = a;
                absorbed.Add(a);
            }
            var layer = new Layer(n, act);
            layers.Add(layer);
            quantizedTensors.Add(layer.Output);
        }
        return layers;
    }

    /// <summary>The QDQ graph: for every tensor an int8 layer reads or writes, QuantizeLinear → DequantizeLinear
    /// (a layer's own output keeps its name as the dequantized value); int8 weights behind DequantizeLinear.
    /// Returns the graph and, per quantized tensor, its parameters and the name of its int8 value.</summary>
    private static (Graph, Dictionary<string, (string Q, float Scale, int ZeroPoint)>) Build(Graph fp32, List<Layer> layers, Calibration calib)
    {
        var g = Quantizer.Clone(fp32);
        // The clone's nodes are new objects at the same positions.
        var layerAt = new Dictionary<int, Layer>();
        var activationAt = new Dictionary<int, Layer>();
        foreach (var l in layers)
        {
            layerAt[fp32.Nodes.IndexOf(l.Node)] = l;
            if (l.Activation is not null) activationAt[fp32.Nodes.IndexOf(l.Activation)] = l;
        }
        var producedBy = layers.ToDictionary(l => l.Output, l => l, StringComparer.Ordinal);

        // Parameters: layer outputs and the activations layers read; MaxPool/data movement keep the input's.
        var quant = new Dictionary<string, (string Q, float Scale, int ZeroPoint)>(StringComparer.Ordinal);
        (float, int) ParamsOf(string t)
        {
            if (quant.TryGetValue(t, out var p)) return (p.Scale, p.ZeroPoint);
            var r = calib.Range(t);
            return (r.Scales[0], (int)r.ZeroPoints[0]);
        }
        foreach (var l in layers)
        {
            var ins = l.Node.OpType == "Add" ? l.Node.Inputs.Take(2) : l.Node.Inputs.Take(1);
            foreach (var t in ins)
                if (!quant.ContainsKey(t)) { var (s, z) = ParamsOf(t); quant[t] = (g.UniqueName(t + "_int8"), s, z); }
            var (os, oz) = s_samePaRams.Contains(l.Node.OpType) ? ParamsOf(l.Node.Inputs[0]) : ParamsOf(l.Output);
            quant[l.Output] = (g.UniqueName(l.Output + "_int8"), os, oz);
        }

        var nodes = new List<Node>();
        string Const(string stem, Tensor t) { g.Add(t); return t.Name; }
        (string S, string Z) ParamTensors(string t, float scale, int zp) =>
            (Const(t, Tensor.FromFloats(g.UniqueName(t + "_scale"), [], [scale])), Const(t, new Tensor(g.UniqueName(t + "_zero_point"), DataType.Int8, [], [(byte)(sbyte)zp])));
        var rewire = new Dictionary<string, string>(StringComparer.Ordinal); // for layer inputs whose producer is not a layer

        void EmitQdq(string t, bool own)
        {
            var (q, scale, zp) = quant[t];
            var (s, z) = ParamTensors(t, scale, zp);
            g.Add(new Tensor(q, DataType.Int8, (int[])g[t].Shape.Clone()));
            if (own)
            {
                // The layer writes t_fp32; t becomes the dequantized int8 value its consumers (and outputs) read.
                string f = g.UniqueName(t + "_fp32");
                g.Add(new Tensor(f, DataType.Float32, (int[])g[t].Shape.Clone()));
                var producer = nodes.Last(n => n.Outputs.Contains(t));
                producer.Outputs[producer.Outputs.IndexOf(t)] = f;
                nodes.Add(new Node("QuantizeLinear", q + "_quantize", [f, s, z], [q]));
                nodes.Add(new Node("DequantizeLinear", q + "_dequantize", [q, s, z], [t]));
            }
            else
            {
                string d = g.UniqueName(t + "_dq");
                g.Add(new Tensor(d, DataType.Float32, (int[])g[t].Shape.Clone()));
                nodes.Add(new Node("QuantizeLinear", q + "_quantize", [t, s, z], [q]));
                nodes.Add(new Node("DequantizeLinear", q + "_dequantize", [q, s, z], [d]));
                rewire[t] = d;
            }
        }

        foreach (var t in quant.Keys.Where(t => g.Inputs.Contains(t))) EmitQdq(t, own: false);
        for (int at = 0; at < g.Nodes.Count; at++)
        {
            var n = g.Nodes[at];
            bool isLayer = layerAt.TryGetValue(at, out var layer);
            if (isLayer)
            {
                // Inputs from non-layer producers (graph input, fp32 layers) read their dequantized copy.
                var ins = n.OpType == "Add" ? 2 : 1;
                for (int i = 0; i < ins; i++)
                {
                    string t = n.Inputs[i];
                    if (!producedBy.ContainsKey(t) && !rewire.ContainsKey(t) && !g.Inputs.Contains(t)) EmitQdq(t, own: false);
                    if (rewire.TryGetValue(t, out var d)) n.Inputs[i] = d;
                }
                QuantizeWeights(g, n, nodes);
            }
            nodes.Add(n);
            if (isLayer && layer!.Activation is null) EmitQdq(layer.Output, own: true);
            if (activationAt.TryGetValue(at, out var owner)) EmitQdq(owner.Output, own: true);
        }
        g.Nodes.Clear();
        g.Nodes.AddRange(nodes);
        Compiler.RemoveDeadNodes(g);
        return (g, quant);
    }

    /// <summary>Conv / Gemm / MatMul weights → symmetric int8 per output channel behind a DequantizeLinear.</summary>
    private static void QuantizeWeights(Graph g, Node n, List<Node> nodes)
    {
        int axis = n.OpType switch
        {
            "Conv" => 0,
            "Gemm" => n.GetInt("transB", 0) != 0 ? 0 : 1,
            "MatMul" => 1,
            _ => -1,
        };
        if (axis < 0) return;
        var w = g[n.Inputs[1]];
        var (data, scales) = Quantizer.QuantizeWeights(w, axis);
        string q = g.UniqueName(w.Name + "_int8"), s = g.UniqueName(w.Name + "_scale"), f = g.UniqueName(w.Name + "_dequantized");
        g.Add(new Tensor(q, DataType.Int8, (int[])w.Shape.Clone(), data));
        g.Add(Tensor.FromFloats(s, [scales.Length], scales));
        g.Add(new Tensor(f, DataType.Float32, (int[])w.Shape.Clone()));
        nodes.Add(new Node("DequantizeLinear", f, [q, s], [f]).Set("axis", Ir.Attribute.Of((long)axis)));
        n.Inputs[1] = f;
    }

    private static QuantReport Report(Graph fp32, List<Layer> layers, Dictionary<string, (string Q, float Scale, int ZeroPoint)> quant,
        Planning.Plan plan, Calibration calib)
    {
        var report = new QuantReport { CalibrationInputs = calib.Inputs.Count, RangeMethod = calib.MethodName };
        var rows = new List<(string Name, string Op, string Tensor, bool Int8, Calibration.Snr Snr)>();
        var absorbed = layers.Where(l => l.Activation is not null).Select(l => l.Activation!).ToHashSet();
        foreach (var n in fp32.Nodes)
        {
            if (absorbed.Contains(n)) continue;
            var layer = layers.FirstOrDefault(l => ReferenceEquals(l.Node, n));
            string t = layer?.Output ?? n.Outputs[0];
            if (layer is null && fp32[t].Type != DataType.Float32) continue;
            rows.Add((layer?.Name ?? n.Name, layer?.OpType ?? n.OpType, t, layer is not null, new Calibration.Snr()));
        }
        using var s = new Session(plan);
        for (int i = 0; i < calib.Inputs.Count; i++)
        {
            calib.Inputs[i].CopyTo(s.Input(0));
            s.Run();
            foreach (var r in rows)
            {
                var reference = calib.Reference[i][r.Tensor];
                if (r.Int8)
                {
                    var (q, scale, zp) = quant[r.Tensor];
                    var bytes = s.TensorBytes(q).ToArray();
                    r.Snr.Add(reference, e => ((sbyte)bytes[e] - zp) * (double)scale);
                }
                else
                {
                    var v = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(s.TensorBytes(r.Tensor)).ToArray();
                    r.Snr.Add(reference, e => v[e]);
                }
            }
        }
        foreach (var r in rows) report.Layers.Add(new LayerSnr(r.Name, r.Op, r.Tensor, r.Int8, r.Snr.Db));
        return report;
    }
}
