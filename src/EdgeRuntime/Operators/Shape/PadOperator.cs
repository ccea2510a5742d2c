using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Pad in constant, reflect or edge mode. Pads as attribute <c>paddings</c> (opset 1),
/// <c>pads</c> (2..10) or constant input (11+), with optional <c>axes</c> input (18); negative pads
/// crop. The constant value is the <c>value</c> attribute or the optional scalar input (read at run
/// time). Every output coordinate maps to a source coordinate once, at kernel creation.</summary>
public sealed class PadOperator : IOperator
{
    public string OpType => "Pad";

    private static (long[] Begin, long[] End, string Mode) Geometry(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        int rank = x.Shape.Length;
        long[] pads = (node.HasInput(1) ? ShapeArgs.ConstantInts(node, graph, 1, "pads") : node.GetInts("pads") ?? node.GetInts("paddings"))
            ?? throw new ModelException($"{graph.Source}: {node.Describe()}: pads are required");
        long[] axes = node.HasInput(3)
            ? ShapeArgs.ConstantInts(node, graph, 3, "axes").Select(a => (long)ShapeArgs.Axis(node, graph, a, rank)).ToArray()
            : Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        if (pads.Length != 2 * axes.Length)
            throw new ModelException($"{graph.Source}: {node.Describe()}: {pads.Length} pads for {axes.Length} axes (need 2 per axis)");
        var begin = new long[rank];
        var end = new long[rank];
        for (int i = 0; i < axes.Length; i++)
        {
            begin[axes[i]] = pads[i];
            end[axes[i]] = pads[i + axes.Length];
        }
        string mode = node.GetString("mode", "constant");
        if (mode is not ("constant" or "reflect" or "edge"))
            throw new ModelException($"{graph.Source}: {node.Describe()}: mode '{mode}' is not supported (constant, reflect, edge)");
        for (int d = 0; d < rank; d++)
        {
            long size = x.Shape[d] + begin[d] + end[d];
            if (size < 0) throw new ModelException($"{graph.Source}: {node.Describe()}: pads crop axis {d} of size {x.Shape[d]} below zero");
            if (mode != "constant" && size > 0 && x.Shape[d] == 0)
                throw new ModelException($"{graph.Source}: {node.Describe()}: {mode} padding of an empty axis {d}");
        }
        return (begin, end, mode);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var x = graph[node.Inputs[0]];
        if (!ElementTypes.IsNumeric(x.Type) && x.Type != DataType.Bool) throw ElementTypes.Unsupported(graph, node, x.Type);
        var (begin, end, _) = Geometry(node, graph);
        var shape = x.Shape.Select((d, i) => checked((int)(d + begin[i] + end[i]))).ToArray();
        ShapeInference.SetOutput(graph, node, 0, x.Type, shape, x.Quant);
        ConstantEvaluator.TryFold(this, node, graph);
    }

    /// <summary>Source index for output index <paramref name="o"/> along one axis, or -1 for the constant value.</summary>
    public static int SourceIndex(long o, long begin, int dim, string mode)
    {
        long i = o - begin;
        if (i >= 0 && i < dim) return (int)i;
        switch (mode)
        {
            case "edge": return (int)Math.Clamp(i, 0, dim - 1);
            case "reflect":
                if (dim == 1) return 0;
                long period = 2L * (dim - 1);
                long m = ((i % period) + period) % period;
                return (int)(m < dim ? m : period - m);
            default: return -1;
        }
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        if (ConstantEvaluator.OutputsConstant(node, ctx.Graph)) return NoOpKernel.Instance;
        var x = ctx.Input(0);
        var y = ctx.Output(0);
        var (begin, _, mode) = Geometry(node, ctx.Graph);
        int rank = x.Shape.Length;
        var map = new int[rank][];
        for (int d = 0; d < rank; d++)
        {
            map[d] = new int[y.Shape[d]];
            for (int o = 0; o < y.Shape[d]; o++) map[d][o] = SourceIndex(o, begin[d], x.Shape[d], mode);
        }
        var strides = ShapeArgs.Strides(x.Shape);
        byte* value = ctx.InputPtr(2);
        float attrValue = node.GetFloat("value", 0f);
        return x.Type switch
        {
            DataType.Float32 => new PadKernel<float>((float*)ctx.InputPtr(0), (float*)ctx.OutputPtr(0), (float*)value, attrValue, y.Shape, map, strides),
            DataType.Float64 => new PadKernel<double>((double*)ctx.InputPtr(0), (double*)ctx.OutputPtr(0), (double*)value, attrValue, y.Shape, map, strides),
            DataType.Int8 => new PadKernel<sbyte>((sbyte*)ctx.InputPtr(0), (sbyte*)ctx.OutputPtr(0), (sbyte*)value, (sbyte)attrValue, y.Shape, map, strides),
            DataType.UInt8 or DataType.Bool => new PadKernel<byte>(ctx.InputPtr(0), ctx.OutputPtr(0), value, (byte)attrValue, y.Shape, map, strides),
            DataType.Int16 => new PadKernel<short>((short*)ctx.InputPtr(0), (short*)ctx.OutputPtr(0), (short*)value, (short)attrValue, y.Shape, map, strides),
            DataType.UInt16 => new PadKernel<ushort>((ushort*)ctx.InputPtr(0), (ushort*)ctx.OutputPtr(0), (ushort*)value, (ushort)attrValue, y.Shape, map, strides),
            DataType.Int32 => new PadKernel<int>((int*)ctx.InputPtr(0), (int*)ctx.OutputPtr(0), (int*)value, (int)attrValue, y.Shape, map, strides),
            DataType.UInt32 => new PadKernel<uint>((uint*)ctx.InputPtr(0), (uint*)ctx.OutputPtr(0), (uint*)value, (uint)attrValue, y.Shape, map, strides),
            DataType.Int64 => new PadKernel<long>((long*)ctx.InputPtr(0), (long*)ctx.OutputPtr(0), (long*)value, (long)attrValue, y.Shape, map, strides),
            _ => new PadKernel<ulong>((ulong*)ctx.InputPtr(0), (ulong*)ctx.OutputPtr(0), (ulong*)value, (ulong)attrValue, y.Shape, map, strides),
        };
    }
}

/// <summary>Walks output rows; each row is either all constant (some outer coordinate maps to -1)
/// or copies through the innermost map.</summary>
public sealed unsafe class PadKernel<T>(T* x, T* y, T* valuePtr, T attrValue, int[] outDims, int[][] map, int[] inStrides) : OpKernel where T : unmanaged
{
    private readonly int[] _counter = new int[outDims.Length];

    public override string KernelName => "pad";

    public override void Execute(int frames)
    {
        long total = 1;
        foreach (var d in outDims) total *= d;
        if (total == 0) return;
        T value = valuePtr != null ? *valuePtr : attrValue;
        int rank = outDims.Length;
        if (rank == 0) { *y = *x; return; }
        int last = rank - 1;
        int len = outDims[last];
        int[] inner = map[last];
        var c = _counter;
        Array.Clear(c);
        T* o = y;
        long rows = total / len;
        for (long r = 0; r < rows; r++)
        {
            long src = 0;
            bool constant = false;
            for (int d = 0; d < last; d++)
            {
                int s = map[d][c[d]];
                if (s < 0) { constant = true; break; }
                src += (long)s * inStrides[d];
            }
            if (constant) new Span<T>(o, len).Fill(value);
            else
            {
                T* row = x + src;
                for (int j = 0; j < len; j++)
                {
                    int s = inner[j];
                    o[j] = s >= 0 ? row[s] : value;
                }
            }
            o += len;
            for (int d = last - 1; d >= 0; d--)
            {
                if (++c[d] < outDims[d]) break;
                c[d] = 0;
            }
        }
    }
}
