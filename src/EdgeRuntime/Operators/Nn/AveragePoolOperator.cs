using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX AveragePool (opset 1+), 1 to 3 spatial dimensions: strides, pads, auto_pad, ceil_mode,
/// dilations and count_include_pad (padding counts toward the divisor, but never the part of a
/// ceil_mode window that lies beyond the end padding).</summary>
public sealed class AveragePoolOperator : IOperator
{
    public string OpType => "AveragePool";

    public void InferShapes(Node node, Graph graph)
    {
        var s = PoolShape.Of(graph, node, allowBytes: false);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, s.OutputShape);
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx) =>
        new AveragePoolKernel(PoolShape.Of(ctx.Graph, node, allowBytes: false), ctx.InF(0), ctx.OutF(0), node.GetInt("count_include_pad", 0) != 0);
}

internal sealed unsafe class AveragePoolKernel(PoolShape s, float* x, float* y, bool countPads) : OpKernel
{
    public override string KernelName => "averagepool.f32";

    public override void Execute(int frames)
    {
        var sink = new FloatMean(y);
        PoolWindows.Average<float, float, FloatMean>(s, x, countPads, ref sink);
    }

    private struct FloatMean(float* y) : PoolWindows.IAverage<float, float>
    {
        public static float Add(float sum, float v) => sum + v;
        public void Store(long i, float sum, long taps, long count) => y[i] = count > 0 ? sum / count : 0f;
    }
}

/// <summary>The window walk of average pooling, shared by the float kernel and the quantized one: per output
/// element (row-major) the sum over the window's taps inside the input, in a fixed order, and the divisor
/// (count_include_pad counts padding, but never the part of a ceil_mode window beyond the end padding).</summary>
internal static unsafe class PoolWindows
{
    public interface IAverage<T, TSum> where T : unmanaged where TSum : struct
    {
        static abstract TSum Add(TSum sum, T value);
        /// <param name="taps">inputs summed (inside the input).</param>
        /// <param name="count">the divisor (taps, plus the padding when count_include_pad).</param>
        void Store(long index, TSum sum, long taps, long count);
    }

    public static void Average<T, TSum, TSink>(PoolShape s, T* x, bool countPads, ref TSink sink)
        where T : unmanaged where TSum : struct where TSink : struct, IAverage<T, TSum>
    {
        var g = s.Geometry;
        int ID = g.In[0], IH = g.In[1], IW = g.In[2];
        long inSize = (long)ID * IH * IW;
        long o = 0;
        for (int p = 0; p < s.Planes; p++)
        {
            T* xp = x + p * inSize;
            for (int od = 0; od < g.Out[0]; od++)
            {
                int sd = od * g.Stride[0] - g.PadBegin[0];
                var (fd, nd) = PoolShape.Span(sd, g.Kernel[0], g.Dilation[0], 0, ID);
                int cd = countPads ? PoolShape.Span(sd, g.Kernel[0], g.Dilation[0], -g.PadBegin[0], ID + g.PadEnd[0]).Count : nd;
                for (int oh = 0; oh < g.Out[1]; oh++)
                {
                    int sh = oh * g.Stride[1] - g.PadBegin[1];
                    var (fh, nh) = PoolShape.Span(sh, g.Kernel[1], g.Dilation[1], 0, IH);
                    int ch = countPads ? PoolShape.Span(sh, g.Kernel[1], g.Dilation[1], -g.PadBegin[1], IH + g.PadEnd[1]).Count : nh;
                    for (int ow = 0; ow < g.Out[2]; ow++)
                    {
                        int sw = ow * g.Stride[2] - g.PadBegin[2];
                        var (fw, nw) = PoolShape.Span(sw, g.Kernel[2], g.Dilation[2], 0, IW);
                        int cw = countPads ? PoolShape.Span(sw, g.Kernel[2], g.Dilation[2], -g.PadBegin[2], IW + g.PadEnd[2]).Count : nw;
                        TSum sum = default;
                        for (int a = fd; a < fd + nd; a++)
                        {
                            int id = sd + a * g.Dilation[0];
                            for (int b = fh; b < fh + nh; b++)
                            {
                                T* row = xp + ((long)id * IH + sh + b * g.Dilation[1]) * IW;
                                for (int c = fw; c < fw + nw; c++) sum = TSink.Add(sum, row[sw + c * g.Dilation[2]]);
                            }
                        }
                        sink.Store(o++, sum, (long)nd * nh * nw, (long)cd * ch * cw);
                    }
                }
            }
        }
    }
}
