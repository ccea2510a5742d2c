namespace EdgeRuntime.Ir;

/// <summary>An operator application. Input names may be "" for an omitted optional input.</summary>
public sealed class Node
{
    public Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, string domain = "")
    {
        OpType = opType;
        Name = name;
        Inputs = inputs.ToList();
        Outputs = outputs.ToList();
        Domain = domain;
    }

    public string OpType { get; set; }
    public string Name { get; set; }
    public string Domain { get; set; }
    public List<string> Inputs { get; }
    public List<string> Outputs { get; }
    public Dictionary<string, Attribute> Attributes { get; } = new(StringComparer.Ordinal);

    public bool HasInput(int i) => i < Inputs.Count && Inputs[i].Length > 0;
    public bool Has(string attr) => Attributes.ContainsKey(attr);

    public long GetInt(string name, long dflt) => Attributes.TryGetValue(name, out var a) ? a.I : dflt;
    public float GetFloat(string name, float dflt) => Attributes.TryGetValue(name, out var a) ? a.F : dflt;
    public string GetString(string name, string dflt) => Attributes.TryGetValue(name, out var a) ? a.S : dflt;
    public long[]? GetInts(string name) => Attributes.TryGetValue(name, out var a) ? a.Ints : null;
    public float[]? GetFloats(string name) => Attributes.TryGetValue(name, out var a) ? a.Floats : null;
    public string[]? GetStrings(string name) => Attributes.TryGetValue(name, out var a) ? a.Strings : null;

    public Node Set(string name, Attribute value) { Attributes[name] = value; return this; }

    /// <summary>"OpType 'name'" for error messages.</summary>
    public string Describe() => Name.Length > 0 ? $"{OpType} '{Name}'" : $"{OpType} (output '{Outputs.FirstOrDefault()}')";
    public override string ToString() => $"{Describe()}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}";
}
