using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Recurrent;

/// <summary>Everything a recurrent node's attributes and input shapes fix: sizes, direction, layout,
/// activations. Parsed (and checked, naming the node) by the operator and again by the kernel.</summary>
public sealed class RecurrentSpec
{
    public RecurrentCell Cell { get; private init; }
    /// <summary>edge-domain variant: X is [T, I] and Y is [T, H] (time-major, batch 1, forward).</summary>
    public bool Flat { get; private init; }
    public int Gates => Cell switch { RecurrentCell.Gru => 3, RecurrentCell.Lstm => 4, _ => 1 };
    public int Directions { get; private init; }
    public bool Reverse { get; private init; }
    public int Hidden { get; private init; }
    public int InputSize { get; private init; }
    public int Seq { get; private init; }
    public int Batch { get; private init; }
    public int Layout { get; private init; }
    public float Clip { get; private init; }
    public bool LinearBeforeReset { get; private init; }
    public bool InputForget { get; private init; }
    public bool Streaming { get; private init; }
    /// <summary>Activations per direction: GRU f,g; LSTM f,g,h; RNN f.</summary>
    public RecurrentActivation[][] Activations { get; private init; } = [];

    public static int ActivationsPerDirection(RecurrentCell c) => c switch { RecurrentCell.Gru => 2, RecurrentCell.Lstm => 3, _ => 1 };

    public static RecurrentSpec Parse(Node node, Graph graph, RecurrentCell cell, bool flat)
    {
        string where = $"{graph.Source}: {node.Describe()}";
        ModelException Err(string m) => new($"{where}: {m}");
        if (node.Inputs.Count < 3 || !node.HasInput(0) || !node.HasInput(1) || !node.HasInput(2))
            throw Err("needs inputs X, W and R");
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        var r = graph[node.Inputs[2]];
        foreach (var t in new[] { x, w, r })
            if (t.Type != DataType.Float32) throw Err($"tensor '{t.Name}' is {t.Type}; only float32 is supported");
        string direction = node.GetString("direction", "forward");
        int dirs = direction switch
        {
            "forward" or "reverse" => 1,
            "bidirectional" => 2,
            _ => throw Err($"unknown direction '{direction}'"),
        };
        int layout = (int)node.GetInt("layout", 0);
        if (layout is not (0 or 1)) throw Err($"layout must be 0 or 1, got {layout}");
        int gates = cell switch { RecurrentCell.Gru => 3, RecurrentCell.Lstm => 4, _ => 1 };
        if (w.Shape.Length != 3 || r.Shape.Length != 3)
            throw Err($"W must be [dirs, {gates}*hidden, input] and R [dirs, {gates}*hidden, hidden]; got W [{string.Join(",", w.Shape)}], R [{string.Join(",", r.Shape)}]");
        int hidden = r.Shape[2];
        if (node.Has("hidden_size") && node.GetInt("hidden_size", 0) != hidden)
            throw Err($"hidden_size {node.GetInt("hidden_size", 0)} does not match R [{string.Join(",", r.Shape)}]");
        if (hidden <= 0) throw Err("hidden size must be positive");
        int seq, batch, input;
        if (flat)
        {
            if (x.Shape.Length != 2) throw Err($"X must be [T, input], got [{string.Join(",", x.Shape)}]");
            if (dirs != 1 || direction != "forward") throw Err("the time-major edge variant runs forward only");
            seq = x.Shape[0]; batch = 1; input = x.Shape[1];
        }
        else
        {
            if (x.Shape.Length != 3) throw Err($"X must be rank 3, got [{string.Join(",", x.Shape)}]");
            seq = layout == 0 ? x.Shape[0] : x.Shape[1];
            batch = layout == 0 ? x.Shape[1] : x.Shape[0];
            input = x.Shape[2];
        }
        if (w.Shape[0] != dirs || r.Shape[0] != dirs)
            throw Err($"W/R first dimension must be {dirs} for direction '{direction}', got W [{string.Join(",", w.Shape)}], R [{string.Join(",", r.Shape)}]");
        if (w.Shape[1] != gates * hidden || w.Shape[2] != input)
            throw Err($"W must be [{dirs},{gates * hidden},{input}], got [{string.Join(",", w.Shape)}]");
        if (r.Shape[1] != gates * hidden)
            throw Err($"R must be [{dirs},{gates * hidden},{hidden}], got [{string.Join(",", r.Shape)}]");
        if (node.HasInput(3))
        {
            var b = graph[node.Inputs[3]];
            if (b.Shape.Length != 2 || b.Shape[0] != dirs || b.Shape[1] != 2 * gates * hidden)
                throw Err($"B must be [{dirs},{2 * gates * hidden}], got [{string.Join(",", b.Shape)}]");
        }
        if (node.HasInput(4))
        {
            var sl = graph[node.Inputs[4]];
            if (sl.ElementCount != batch) throw Err($"sequence_lens must have {batch} entries, got [{string.Join(",", sl.Shape)}]");
            if (sl.IsConstant && sl.ConstantAsInt64().Any(v => v != seq))
                throw Err($"sequence_lens [{string.Join(",", sl.ConstantAsInt64())}] differ from the sequence length {seq}; only full-length sequences are supported");
        }
        int[] stateShape = layout == 0 || flat ? [dirs, batch, hidden] : [batch, dirs, hidden];
        void CheckState(int idx, string what)
        {
            if (!node.HasInput(idx)) return;
            var s = graph[node.Inputs[idx]];
            if (!s.Shape.SequenceEqual(stateShape))
                throw Err($"{what} must be [{string.Join(",", stateShape)}], got [{string.Join(",", s.Shape)}]");
        }
        CheckState(5, "initial_h");
        if (cell == RecurrentCell.Lstm)
        {
            CheckState(6, "initial_c");
            if (node.HasInput(7))
            {
                var p = graph[node.Inputs[7]];
                if (p.Shape.Length != 2 || p.Shape[0] != dirs || p.Shape[1] != 3 * hidden)
                    throw Err($"P must be [{dirs},{3 * hidden}], got [{string.Join(",", p.Shape)}]");
            }
        }
        bool streaming = graph.Streaming;
        if (streaming)
        {
            if (dirs != 1 || direction != "forward") throw Err($"direction '{direction}' cannot run in a streaming graph (only forward)");
            if (!flat && layout != 0) throw Err("streaming graphs need layout 0 (time on axis 0)");
            if (node.HasInput(5) && !graph[node.Inputs[5]].IsConstant) throw Err("in a streaming graph initial_h must be a constant");
            if (node.HasInput(6) && cell == RecurrentCell.Lstm && !graph[node.Inputs[6]].IsConstant) throw Err("in a streaming graph initial_c must be a constant");
            if (node.HasInput(4) && !graph[node.Inputs[4]].IsConstant) throw Err("in a streaming graph sequence_lens must be a constant");
        }

        int per = ActivationsPerDirection(cell);
        string[] names = node.GetStrings("activations") ?? [];
        string[] defaults = cell switch { RecurrentCell.Gru => ["Sigmoid", "Tanh"], RecurrentCell.Lstm => ["Sigmoid", "Tanh", "Tanh"], _ => ["Tanh"] };
        if (names.Length == 0) names = Enumerable.Range(0, dirs).SelectMany(_ => defaults).ToArray();
        else if (names.Length == per && dirs == 2) names = [.. names, .. names];
        if (names.Length != per * dirs) throw Err($"activations must list {per * dirs} functions, got {names.Length}");
        float[] alphas = node.GetFloats("activation_alpha") ?? [];
        float[] betas = node.GetFloats("activation_beta") ?? [];
        int ai = 0, bi = 0;
        var acts = new RecurrentActivation[dirs][];
        for (int d = 0; d < dirs; d++)
        {
            acts[d] = new RecurrentActivation[per];
            for (int k = 0; k < per; k++)
            {
                string n = names[d * per + k].ToLowerInvariant();
                bool usesAlpha = n is "affine" or "leakyrelu" or "thresholdedrelu" or "scaledtanh" or "hardsigmoid" or "elu";
                bool usesBeta = n is "affine" or "scaledtanh" or "hardsigmoid";
                float? a = usesAlpha && ai < alphas.Length ? alphas[ai++] : null;
                float? be = usesBeta && bi < betas.Length ? betas[bi++] : null;
                acts[d][k] = RecurrentActivation.Parse(names[d * per + k], a, be, where);
            }
        }
        float clip = node.GetFloat("clip", 0f);
        if (node.Has("clip") && !(clip > 0)) throw Err($"clip must be positive, got {clip}");
        long lbr = node.GetInt("linear_before_reset", 0);
        return new RecurrentSpec
        {
            Cell = cell, Flat = flat, Directions = dirs, Reverse = direction == "reverse", Hidden = hidden,
            InputSize = input, Seq = seq, Batch = batch, Layout = flat ? 0 : layout,
            Clip = node.Has("clip") ? clip : 0f, LinearBeforeReset = lbr != 0,
            InputForget = cell == RecurrentCell.Lstm && node.GetInt("input_forget", 0) != 0,
            Streaming = streaming, Activations = acts,
        };
    }
}
