using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Execution;

/// <summary>One running instance of a plan. Owns a single 64-byte-aligned native block laid out as
/// [weights | persistent state | activation arena]. <see cref="Run()"/> allocates nothing and
/// never locks. Not thread-safe: one session per thread.</summary>
public sealed unsafe class Session : IDisposable
{
    private readonly OpKernel[] _kernels;
    private readonly byte* _block;
    private readonly byte* _weights;
    private readonly byte* _persistent;
    private readonly byte* _arena;
    private readonly nint[] _inputPtr;
    private readonly nint[] _outputPtr;
    private readonly int[] _inputBytes;
    private readonly int[] _outputBytes;
    private readonly int _maxFrames;
    private bool _disposed;

    public Session(Plan plan)
    {
        Plan = plan;
        var g = plan.Graph;
        _maxFrames = g.MaxFrames;
        long total = plan.WeightsBytes + plan.PersistentTotalBytes + plan.ArenaBytes;
        _block = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(total, 64), ArenaPlan.Alignment);
        NativeMemory.Clear(_block, (nuint)Math.Max(total, 64));
        _weights = _block;
        _persistent = _weights + plan.WeightsBytes;
        _arena = _persistent + plan.PersistentTotalBytes;
        foreach (var (name, off) in plan.WeightOffsets)
        {
            var t = g[name];
            if (t.Constant is { } data && !plan.ActivationOffsets.ContainsKey(name))
                data.CopyTo(new Span<byte>(_weights + off, data.Length));
        }

        Inputs = g.Inputs.Where(n => !g[n].IsConstant).Select(n => g[n]).ToArray();
        Outputs = g.Outputs.Select(n => g[n]).ToArray();
        _inputPtr = Inputs.Select(t => (nint)Address(t.Name)).ToArray();
        _outputPtr = Outputs.Select(t => (nint)Address(t.Name)).ToArray();
        _inputBytes = Inputs.Select(t => checked((int)t.ByteSize)).ToArray();
        _outputBytes = Outputs.Select(t => checked((int)t.ByteSize)).ToArray();

        _kernels = new OpKernel[g.Nodes.Count];
        try
        {
            for (int i = 0; i < g.Nodes.Count; i++)
            {
                var node = g.Nodes[i];
                var ctx = new KernelContext(g, node, s => (nint)Address(s),
                    plan.ScratchOffsets[i] >= 0 ? (nint)(_arena + plan.ScratchOffsets[i]) : 0, plan.ScratchBytes[i],
                    plan.PersistentOffsets[i] >= 0 ? (nint)(_persistent + plan.PersistentOffsets[i]) : 0, plan.PersistentBytes[i]);
                _kernels[i] = OperatorRegistry.Get(node).CreateKernel(node, ctx);
            }
        }
        catch
        {
            // The finalizer runs even for an object whose constructor threw: mark the block freed.
            _disposed = true;
            GC.SuppressFinalize(this);
            NativeMemory.AlignedFree(_block);
            throw;
        }
        Reset();
    }

    public Plan Plan { get; }
    public IReadOnlyList<Tensor> Inputs { get; }
    public IReadOnlyList<Tensor> Outputs { get; }
    public IReadOnlyList<OpKernel> Kernels => _kernels;
    public int MaxFrames => Plan.Graph.MaxFrames;

    private byte* Address(string name)
    {
        if (Plan.ActivationOffsets.TryGetValue(name, out long a)) return _arena + a;
        if (Plan.WeightOffsets.TryGetValue(name, out long w)) return _weights + w;
        throw new ModelException($"{Plan.Graph.Source}: tensor '{name}' has no storage in the plan");
    }

    /// <summary>Where to write input <paramref name="i"/> (bytes, row-major, the tensor's full shape).</summary>
    public Span<byte> InputBytes(int i) => new((void*)_inputPtr[i], _inputBytes[i]);
    public Span<float> Input(int i) => MemoryMarshal.Cast<byte, float>(InputBytes(i));
    public ReadOnlySpan<byte> OutputBytes(int i) => new((void*)_outputPtr[i], _outputBytes[i]);
    public ReadOnlySpan<float> Output(int i) => MemoryMarshal.Cast<byte, float>(OutputBytes(i));

    /// <summary>Bytes of any tensor kept in the plan (activations are valid only until overwritten).</summary>
    public ReadOnlySpan<byte> TensorBytes(string name) => new(Address(name), checked((int)Plan.Graph[name].ByteSize));

    /// <summary>Run every operator once over the planned frame count.</summary>
    public void Run() => Run(Plan.Graph.MaxFrames);

    /// <summary>Run with <paramref name="frames"/> valid frames on axis 0 (streaming graphs).</summary>
    public void Run(int frames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)(frames - 1) >= (uint)_maxFrames)
            ThrowFrames(frames);
        var k = _kernels;
        for (int i = 0; i < k.Length; i++) k[i].Execute(frames);
    }

    /// <summary>Copy inputs in, run, copy outputs out. Sizes must match the planned tensors exactly.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (Inputs.Count != 1 || Outputs.Count != 1)
            throw new ModelException($"{Plan.Graph.Source}: Run(input, output) needs one input and one output; the model has {Inputs.Count} and {Outputs.Count}");
        var dst = Input(0);
        if (input.Length != dst.Length)
            throw new ModelException($"input '{Inputs[0].Name}' expects {dst.Length} floats [{string.Join(",", Inputs[0].Shape)}], got {input.Length}");
        var src = Output(0);
        if (output.Length < src.Length)
            throw new ModelException($"output '{Outputs[0].Name}' needs room for {src.Length} floats, got {output.Length}");
        input.CopyTo(dst);
        Run();
        src.CopyTo(output);
    }

    /// <summary>Clear streaming state in every kernel.</summary>
    public void Reset()
    {
        NativeMemory.Clear(_persistent, (nuint)Plan.PersistentTotalBytes);
        foreach (var k in _kernels) k.Reset();
    }

    private void ThrowFrames(int frames) =>
        throw new ModelException($"frames must be 1..{Plan.Graph.MaxFrames}, got {frames}");

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        NativeMemory.AlignedFree(_block);
        GC.SuppressFinalize(this);
    }

    ~Session()
    {
        if (!_disposed) NativeMemory.AlignedFree(_block);
    }
}
