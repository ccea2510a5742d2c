using System.Numerics;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Nn;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>Average of quantized values, shared by QLinearAveragePool and QLinearGlobalAveragePool: the exact
/// integer sum S of a window's t inputs and its divisor n (t, or the window with its padding under
/// count_include_pad) give <c>y = saturate(round_half_even((((float)(S − t·x_zp))·x_scale / n) / y_scale) + y_zp)</c>
/// in float32 (n = 0 gives the zero point). Against DequantizeLinear → AveragePool → QuantizeLinear (which sums
/// rounded floats) it differs by at most 1 LSB, where the float sum's rounding moves a value across a rounding
/// boundary.</summary>
internal readonly struct QuantMean
{
    private readonly float _xs, _ys;
    private readonly int _xzp, _yzp, _min, _max;

    public QuantMean(float xs, int xzp, float ys, int yzp, int min, int max) => (_xs, _xzp, _ys, _yzp, _min, _max) = (xs, xzp, ys, yzp, min, max);

    public static unsafe QuantMean Of(KernelContext ctx)
    {
        var xt = ctx.Input(0).Type;
        var yt = ctx.Output(0).Type;
        int xzp = ctx.HasInput(2) ? QuantElements.Load(ctx.InputPtr(2), 0, xt) : 0;
        int yzp = ctx.HasInput(4) ? QuantElements.Load(ctx.InputPtr(4), 0, yt) : 0;
        float ys = ctx.InF(3)[0];
        var (lo, hi) = QuantElements.Range(yt);
        return new QuantMean(ctx.InF(1)[0], xzp, ys, yzp, lo, hi);
    }

    /// <param name="taps">inputs in <paramref name="sum"/>; padding counted in <paramref name="count"/> is a real 0 (the zero point).</param>
    public byte Value(long sum, long taps, long count)
    {
        if (count == 0) return (byte)_yzp;
        float mean = (float)(sum - taps * _xzp) * _xs / count;
        return (byte)(int)Math.Clamp(Math.Round((double)(mean / _ys), MidpointRounding.ToEven) + _yzp, _min, _max);
    }

    /// <summary>Checks of the common inputs (X, x_scale, x_zero_point, y_scale, y_zero_point): the output type.</summary>
    public static DataType Check(Graph graph, Node node)
    {
        for (int i = 0; i < 4; i++) if (!node.HasInput(i)) throw QuantElements.Error(graph, node, $"missing input {i}");
        var x = graph[node.Inputs[0]];
        QuantElements.Require(graph, node, x, "X", DataType.UInt8, DataType.Int8);
        if (node.GetInt("channels_last", 0) != 0) throw QuantElements.Error(graph, node, "channels_last = 1 is not supported (NCHW only)");
        foreach (var (i, role) in new[] { (1, "x_scale"), (3, "y_scale") })
        {
            QuantElements.Require(graph, node, graph[node.Inputs[i]], role, DataType.Float32);
            QuantElements.ParamCount(graph, node, graph[node.Inputs[i]], role, 1);
        }
        QuantElements.Require(graph, node, graph[node.Inputs[2]], "x_zero_point", x.Type);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[2]], "x_zero_point", 1);
        string[] roles = ["x_scale", "x_zero_point", "y_scale", "y_zero_point"];
        for (int i = 1; i <= 4; i++) QuantElements.RequireConstant(graph, node, i, roles[i - 1]);
        if (!node.HasInput(4)) return DataType.UInt8;
        var z = graph[node.Inputs[4]];
        QuantElements.Require(graph, node, z, "y_zero_point", DataType.UInt8, DataType.Int8);
        QuantElements.ParamCount(graph, node, z, "y_zero_point", 1);
        return z.Type;
    }
}

/// <summary>com.microsoft QLinearAveragePool (NCHW): AveragePool's windows (kernel_shape, strides, pads, auto_pad,
/// ceil_mode, dilations, count_include_pad) over quantized values, averaged by <see cref="QuantMean"/>.</summary>
public sealed class QLinearAveragePoolOperator : IOperator
{
    public string OpType => "com.microsoft:QLinearAveragePool";

    public void InferShapes(Node node, Graph graph)
    {
        var yType = QuantMean.Check(graph, node);
        ShapeInference.SetOutput(graph, node, 0, yType, PoolShape.Of(graph, node, allowBytes: true).OutputShape);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var s = PoolShape.Of(ctx.Graph, node, allowBytes: true);
        bool pads = node.GetInt("count_include_pad", 0) != 0;
        var mean = QuantMean.Of(ctx);
        return s.Type == DataType.UInt8
            ? new Kernel<byte>(s, (byte*)ctx.InputPtr(0), ctx.OutputPtr(0), pads, mean)
            : new Kernel<sbyte>(s, (sbyte*)ctx.InputPtr(0), ctx.OutputPtr(0), pads, mean);
    }

    private sealed unsafe class Kernel<T>(PoolShape s, T* x, byte* y, bool countPads, QuantMean mean) : OpKernel
        where T : unmanaged, IBinaryInteger<T>
    {
        public override string KernelName => "qlinearaveragepool.i32sum";

        public override void Execute(int frames)
        {
            var sink = new Sink(y, mean);
            PoolWindows.Average<T, long, Sink>(s, x, countPads, ref sink);
        }

        private struct Sink(byte* y, QuantMean mean) : PoolWindows.IAverage<T, long>
        {
            public static long Add(long sum, T v) => sum + long.CreateTruncating(v);
            public void Store(long i, long sum, long taps, long count) => y[i] = mean.Value(sum, taps, count);
        }
    }
}

/// <summary>com.microsoft QLinearGlobalAveragePool (NCHW): one <see cref="QuantMean"/> per (batch, channel) plane.</summary>
public sealed class QLinearGlobalAveragePoolOperator : IOperator
{
    public string OpType => "com.microsoft:QLinearGlobalAveragePool";

    private static (int Planes, int Size, int[] Output) Shape(Graph g, Node n)
    {
        var x = g[n.Inputs[0]];
        if (x.Shape.Length < 3) throw QuantElements.Error(g, n, $"X must be [N, C, spatial...], got [{string.Join(",", x.Shape)}]");
        long size = 1;
        for (int i = 2; i < x.Shape.Length; i++) size *= x.Shape[i];
        if (size == 0) throw QuantElements.Error(g, n, "X has an empty spatial extent");
        return (checked(x.Shape[0] * x.Shape[1]), checked((int)size), [x.Shape[0], x.Shape[1], .. Enumerable.Repeat(1, x.Shape.Length - 2)]);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var yType = QuantMean.Check(graph, node);
        ShapeInference.SetOutput(graph, node, 0, yType, Shape(graph, node).Output);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var (planes, size, _) = Shape(ctx.Graph, node);
        return new Kernel(ctx.InputPtr(0), ctx.Input(0).Type == DataType.Int8, ctx.OutputPtr(0), planes, size, QuantMean.Of(ctx));
    }

    private sealed unsafe class Kernel(byte* x, bool signed, byte* y, int planes, int size, QuantMean mean) : OpKernel
    {
        public override string KernelName => "qlinearglobalaveragepool.i32sum";

        public override void Execute(int frames)
        {
            for (int p = 0; p < planes; p++)
            {
                byte* plane = x + (long)p * size;
                long sum = 0;
                if (signed) for (int i = 0; i < size; i++) sum += (sbyte)plane[i];
                else for (int i = 0; i < size; i++) sum += plane[i];
                y[p] = mean.Value(sum, size, size);
            }
        }
    }
}
