using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators;

/// <summary>All operators the runtime implements, keyed by op type (or "domain:OpType"). Each area
/// registers its operators in its own partial method so areas never edit each other's lists.</summary>
public static partial class OperatorRegistry
{
    private static readonly Dictionary<string, IOperator> s_ops = Build();

    private static Dictionary<string, IOperator> Build()
    {
        var d = new Dictionary<string, IOperator>(StringComparer.Ordinal);
        void Add(IOperator op)
        {
            if (!d.TryAdd(op.OpType, op)) throw new InvalidOperationException($"operator {op.OpType} registered twice");
        }
        RegisterCore(Add);
        RegisterElementwise(Add);
        RegisterShape(Add);
        RegisterNn(Add);
        RegisterRecurrent(Add);
        RegisterStreaming(Add);
        RegisterQuantized(Add);
        RegisterTflite(Add);
        return d;
    }

    static partial void RegisterCore(Action<IOperator> add);
    static partial void RegisterElementwise(Action<IOperator> add);
    static partial void RegisterShape(Action<IOperator> add);
    static partial void RegisterNn(Action<IOperator> add);
    static partial void RegisterRecurrent(Action<IOperator> add);
    static partial void RegisterStreaming(Action<IOperator> add);
    static partial void RegisterQuantized(Action<IOperator> add);
    static partial void RegisterTflite(Action<IOperator> add);

    public static IEnumerable<string> OpTypes => s_ops.Keys;

    public static string Key(Node node) =>
        node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}:{node.OpType}";

    public static bool TryGet(Node node, out IOperator op) => s_ops.TryGetValue(Key(node), out op!);

    public static IOperator Get(Node node) => TryGet(node, out var op) ? op
        : throw new UnsupportedOperatorException([Key(node)], node.Describe());

    /// <summary>Every op type in <paramref name="graph"/> that has no implementation, at once.</summary>
    public static List<string> Unsupported(Graph graph) =>
        graph.Nodes.Select(Key).Where(k => !s_ops.ContainsKey(k)).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
}
