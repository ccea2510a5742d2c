using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Operators;

/// <summary>Builds a small graph by hand (runtime inputs with data, constants, nodes), compiles it
/// and runs it once; outputs come back as raw bytes plus their shapes.</summary>
public sealed class OpGraph
{
    public Graph Graph { get; }
    private readonly Dictionary<string, byte[]> _data = new(StringComparer.Ordinal);

    public OpGraph(int opset = 13, bool streaming = false, int maxFrames = 1)
    {
        Graph = new Graph { Name = "test", Source = "test", Opset = opset, Streaming = streaming, MaxFrames = maxFrames };
    }

    public OpGraph Input(string name, int[] shape, float[] data) => Input(name, DataType.Float32, shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

    public OpGraph Input(string name, DataType type, int[] shape, byte[] data)
    {
        Graph.Add(new Tensor(name, type, shape));
        Graph.Inputs.Add(name);
        _data[name] = data;
        return this;
    }

    public OpGraph Const(string name, int[] shape, float[] data) { Graph.Add(Tensor.FromFloats(name, shape, data)); return this; }
    public OpGraph ConstInts(string name, params long[] data) { Graph.Add(Tensor.FromInt64s(name, [data.Length], data)); return this; }

    public OpGraph Node(string op, string[] inputs, string[] outputs, params (string Name, Ir.Attribute Value)[] attrs)
    {
        var n = new Node(op, op.ToLowerInvariant() + Graph.Nodes.Count, inputs, outputs);
        foreach (var (k, v) in attrs) n.Set(k, v);
        Graph.Nodes.Add(n);
        return this;
    }

    public OpGraph Output(params string[] names) { Graph.Outputs.AddRange(names); return this; }

    public Session Compile()
    {
        var s = new Session(Compiler.Compile(Graph));
        for (int i = 0; i < s.Inputs.Count; i++) _data[s.Inputs[i].Name].CopyTo(s.InputBytes(i));
        return s;
    }

    /// <summary>Compile, run once, return each output's bytes and shape.</summary>
    public (byte[] Bytes, int[] Shape)[] Run()
    {
        using var s = Compile();
        s.Run();
        return Enumerable.Range(0, s.Outputs.Count).Select(i => (s.OutputBytes(i).ToArray(), s.Outputs[i].Shape)).ToArray();
    }

    public (float[] Values, int[] Shape) RunF32()
    {
        var (b, shape) = Run()[0];
        return (MemoryMarshal.Cast<byte, float>(b).ToArray(), shape);
    }

    public static Ir.Attribute A(long v) => Ir.Attribute.Of(v);
    public static Ir.Attribute A(float v) => Ir.Attribute.Of(v);
    public static Ir.Attribute A(string v) => Ir.Attribute.Of(v);
    public static Ir.Attribute A(params long[] v) => Ir.Attribute.Of(v);

    public static float[] Random(int n, int seed, float lo = -3, float hi = 3)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (float)r.NextDouble() * (hi - lo)).ToArray();
    }

    public static int Count(int[] shape) => shape.Aggregate(1, (a, d) => a * d);

    public static byte[] Bytes<T>(params T[] v) where T : unmanaged => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    public static T[] Values<T>(byte[] b) where T : unmanaged => MemoryMarshal.Cast<byte, T>(b).ToArray();

    public static void Close(float[] expected, float[] actual, float tol = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e)) { Assert.True(float.IsNaN(a), $"[{i}] expected NaN, got {a}"); continue; }
            Assert.True(MathF.Abs(e - a) <= tol * MathF.Max(1, MathF.Abs(e)), $"[{i}] expected {e}, got {a}");
        }
    }
}

/// <summary>Reference numpy broadcasting by coordinates (the spec, written plainly).</summary>
public static class RefBroadcast
{
    public static int[] Shape(params int[][] shapes)
    {
        int rank = shapes.Max(s => s.Length);
        var r = new int[rank];
        for (int d = 0; d < rank; d++)
            r[d] = shapes.Select(s => d - (rank - s.Length) >= 0 ? s[d - (rank - s.Length)] : 1).Max();
        return r;
    }

    /// <summary>Flat index into <paramref name="inShape"/> of output coordinate <paramref name="flat"/>.</summary>
    public static int Index(int flat, int[] outShape, int[] inShape)
    {
        int rank = outShape.Length, idx = 0, mul = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int c = flat % outShape[d];
            flat /= outShape[d];
            int k = d - (rank - inShape.Length);
            if (k < 0) continue;
            idx += (inShape[k] == 1 ? 0 : c) * mul;
            mul *= inShape[k];
        }
        return idx;
    }

    public static float[] Apply(int[] a, float[] da, int[] b, float[] db, Func<float, float, float> f)
    {
        var o = Shape(a, b);
        int n = OpGraph.Count(o);
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = f(da[Index(i, o, a)], db[Index(i, o, b)]);
        return r;
    }
}
