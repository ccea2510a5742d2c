using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators;

/// <summary>What a kernel sees when it is created: tensor metadata and the fixed address of each
/// tensor's bytes (arena for activations, weights region for constants), plus its scratch and
/// persistent blocks.</summary>
public sealed unsafe class KernelContext
{
    private readonly Func<string, nint> _address;

    public KernelContext(Graph graph, Node node, Func<string, nint> address, nint scratch, long scratchBytes,
        nint persistent, long persistentBytes)
    {
        Graph = graph;
        Node = node;
        _address = address;
        Scratch = (byte*)scratch;
        ScratchBytes = scratchBytes;
        Persistent = (byte*)persistent;
        PersistentBytes = persistentBytes;
    }

    public Graph Graph { get; }
    public Node Node { get; }
    public byte* Scratch { get; }
    public long ScratchBytes { get; }
    public byte* Persistent { get; }
    public long PersistentBytes { get; }
    public int MaxFrames => Graph.MaxFrames;

    public Tensor Input(int i) => Graph[Node.Inputs[i]];
    public Tensor Output(int i) => Graph[Node.Outputs[i]];
    public bool HasInput(int i) => Node.HasInput(i);

    public byte* Ptr(string tensor) => (byte*)_address(tensor);
    public byte* InputPtr(int i) => Node.HasInput(i) ? Ptr(Node.Inputs[i]) : null;
    public byte* OutputPtr(int i) => Ptr(Node.Outputs[i]);
    public float* InF(int i) => (float*)InputPtr(i);
    public float* OutF(int i) => (float*)OutputPtr(i);
}
