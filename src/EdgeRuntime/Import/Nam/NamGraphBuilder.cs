using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Nam;

/// <summary>Adds constants and streaming nodes to the graph being imported.</summary>
internal sealed class NamGraphBuilder(Graph graph, NamImportOptions options)
{
    public Graph Graph { get; } = graph;
    public NamImportOptions Options { get; } = options;
    public string Source => Graph.Source;

    public string Const(string name, int[] shape, float[] data)
    {
        name = Graph.UniqueName(name);
        Graph.Add(Tensor.FromFloats(name, shape, data));
        return name;
    }

    public string NewName(string stem) => Graph.UniqueName(stem);

    public Node Add(Node node)
    {
        foreach (var o in node.Outputs)
            if (o.Length > 0 && !Graph.Tensors.ContainsKey(o)) Graph.Add(new Tensor(o, DataType.Undefined, [-1]));
        Graph.Nodes.Add(node);
        return node;
    }

    /// <summary>edge:CausalConv1D over <paramref name="input"/>; returns the output tensor.</summary>
    public string Conv(string name, string input, NamConv conv)
    {
        string w = Const(name + ".w", conv.Shape, conv.W);
        string b = conv.B is null ? "" : Const(name + ".b", [conv.Cout], conv.B);
        string y = NewName(name + ".y");
        var n = new Node("CausalConv1D", name, [input, w, b], [y], "edge");
        n.Set("kernel", Ir.Attribute.Of((long)conv.K)).Set("dilation", Ir.Attribute.Of((long)conv.Dilation))
            .Set("groups", Ir.Attribute.Of((long)conv.Groups));
        Add(n);
        return y;
    }

    public string Activation(string name, string input, NamActivation act)
    {
        if (act.Name.Length == 0) return input;
        string y = NewName(name + ".y");
        var n = new Node("Activation", name, [input], [y], "edge");
        n.Set("activation", Ir.Attribute.Of(act.Name)).Set("activation_params", Ir.Attribute.Of(act.Params));
        Add(n);
        return y;
    }
}

/// <summary>What building one (possibly nested) model produced.</summary>
internal readonly record struct NamBuilt(string Output, int Channels, int PrewarmSamples);
