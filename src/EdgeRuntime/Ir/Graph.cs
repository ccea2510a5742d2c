namespace EdgeRuntime.Ir;

/// <summary>The model as importers produce it and passes transform it: tensors by name, nodes in
/// topological order, named graph inputs and outputs.</summary>
public sealed class Graph
{
    public string Name { get; set; } = "model";
    /// <summary>File (or resource) the graph came from, for error messages and <c>info</c>.</summary>
    public string Source { get; set; } = "";
    /// <summary>Importer format: "onnx", "rtneural", "nam", "tflite", "edge".</summary>
    public string Format { get; set; } = "";
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);
    public List<Node> Nodes { get; } = new();
    public List<string> Inputs { get; } = new();
    public List<string> Outputs { get; } = new();
    public int Opset { get; set; } = 13;

    /// <summary>Streaming models (audio): axis 0 of activations is time. The plan is built for
    /// <see cref="MaxFrames"/> frames and each call may process fewer; stateful operators keep their
    /// state in the session's persistent region.</summary>
    public bool Streaming { get; set; }
    public int MaxFrames { get; set; } = 1;
    /// <summary>Expected sample rate in Hz for audio models; null when unknown.</summary>
    public double? SampleRate { get; set; }
    /// <summary>Free-form facts importers record (e.g. NAM loudness); shown by <c>info</c>.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public Tensor this[string name] => Tensors.TryGetValue(name, out var t) ? t
        : throw new ModelException($"{Source}: tensor '{name}' is not defined");

    public bool TryGet(string name, out Tensor t) => Tensors.TryGetValue(name, out t!);

    public Tensor Add(Tensor t)
    {
        Tensors[t.Name] = t;
        return t;
    }

    /// <summary>A name not yet used in this graph, derived from <paramref name="stem"/>.</summary>
    public string UniqueName(string stem)
    {
        if (!Tensors.ContainsKey(stem)) return stem;
        for (int i = 1; ; i++)
        {
            string n = $"{stem}_{i}";
            if (!Tensors.ContainsKey(n)) return n;
        }
    }

    /// <summary>Nodes that read <paramref name="tensor"/>.</summary>
    public IEnumerable<Node> Consumers(string tensor) => Nodes.Where(n => n.Inputs.Contains(tensor));
    public Node? Producer(string tensor) => Nodes.FirstOrDefault(n => n.Outputs.Contains(tensor));
}
