using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Pooling;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX MaxPool (opset 1+), 1 to 3 spatial dimensions, f32 / u8 / i8: strides, pads, auto_pad,
/// dilations, ceil_mode, and the optional Indices output (int64 flat indices into X, row-major or
/// column-major per storage_order).</summary>
public sealed class MaxPoolOperator : IOperator
{
    public string OpType => "MaxPool";

    public void InferShapes(Node node, Graph graph)
    {
        var s = PoolShape.Of(graph, node, allowBytes: true);
        ShapeInference.SetOutput(graph, node, 0, s.Type, s.OutputShape, graph[node.Inputs[0]].Quant);
        if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0)
            ShapeInference.SetOutput(graph, node, 1, DataType.Int64, (int[])s.OutputShape.Clone());
    }

    /// <summary>float32, values only, 1 or 2 spatial dimensions, no dilation: the separable plane kernel
    /// (<see cref="PlanePoolingF32.Max"/>), which needs one input row of scratch.</summary>
    private static bool UsesPlaneKernel(Node node, PoolShape s) =>
        s.Type == DataType.Float32 && !(node.Outputs.Count > 1 && node.Outputs[1].Length > 0)
        && s.Geometry.Rank <= 2 && s.Geometry.Dilation.All(d => d == 1);

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var s = PoolShape.Of(graph, node, allowBytes: true);
        return UsesPlaneKernel(node, s) ? new MemoryNeeds(s.Geometry.In[2] * sizeof(float), 0) : default;
    }

    public unsafe OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var s = PoolShape.Of(ctx.Graph, node, allowBytes: true);
        if (UsesPlaneKernel(node, s)) return new PlaneMaxPoolKernel(s, ctx.InF(0), ctx.OutF(0), (float*)ctx.Scratch);
        bool columnMajor = node.GetInt("storage_order", 0) != 0;
        long* indices = node.Outputs.Count > 1 && node.Outputs[1].Length > 0 ? (long*)ctx.OutputPtr(1) : null;
        return s.Type == DataType.Float32
            ? new MaxPoolKernel<float>(s, ctx.InputPtr(0), ctx.OutputPtr(0), indices, columnMajor)
            : s.Type == DataType.UInt8
                ? new MaxPoolKernel<byte>(s, ctx.InputPtr(0), ctx.OutputPtr(0), indices, columnMajor)
                : new MaxPoolKernel<sbyte>(s, ctx.InputPtr(0), ctx.OutputPtr(0), indices, columnMajor);
    }
}

/// <summary>float32 1-D/2-D max pooling on <see cref="PlanePoolingF32.Max"/>.</summary>
internal sealed unsafe class PlaneMaxPoolKernel(PoolShape s, float* x, float* y, float* row) : OpKernel
{
    public override string KernelName => "maxpool.planes";

    public override void Execute(int frames)
    {
        var g = s.Geometry;
        PlanePoolingF32.Max(s.Planes, g.In[1], g.In[2], x, g.Kernel[1], g.Kernel[2], g.Stride[1], g.Stride[2],
            g.PadBegin[1], g.PadBegin[2], g.Out[1], g.Out[2], y, row);
    }
}

internal sealed unsafe class MaxPoolKernel<T> : OpKernel where T : unmanaged, System.Numerics.INumber<T>, System.Numerics.IMinMaxValue<T>
{
    private readonly PoolShape _s;
    private readonly T* _x, _y;
    private readonly long* _indices;
    private readonly bool _columnMajor;

    public MaxPoolKernel(PoolShape s, byte* x, byte* y, long* indices, bool columnMajor)
    {
        _s = s;
        _x = (T*)x;
        _y = (T*)y;
        _indices = indices;
        _columnMajor = columnMajor;
    }

    public override string KernelName => $"maxpool.{typeof(T).Name.ToLowerInvariant()}";

    public override void Execute(int frames)
    {
        if (_indices == null) { Values(); return; }
        var g = _s.Geometry;
        int ID = g.In[0], IH = g.In[1], IW = g.In[2];
        long inSize = (long)ID * IH * IW;
        T* y = _y;
        long* idx = _indices;
        for (int p = 0; p < _s.Planes; p++)
        {
            T* x = _x + p * inSize;
            for (int od = 0; od < g.Out[0]; od++)
            {
                int sd = od * g.Stride[0] - g.PadBegin[0];
                var (fd, nd) = PoolShape.Span(sd, g.Kernel[0], g.Dilation[0], 0, ID);
                for (int oh = 0; oh < g.Out[1]; oh++)
                {
                    int sh = oh * g.Stride[1] - g.PadBegin[1];
                    var (fh, nh) = PoolShape.Span(sh, g.Kernel[1], g.Dilation[1], 0, IH);
                    for (int ow = 0; ow < g.Out[2]; ow++)
                    {
                        int sw = ow * g.Stride[2] - g.PadBegin[2];
                        var (fw, nw) = PoolShape.Span(sw, g.Kernel[2], g.Dilation[2], 0, IW);
                        T best = T.MinValue;
                        long at = -1;
                        for (int a = fd; a < fd + nd; a++)
                        {
                            int id = sd + a * g.Dilation[0];
                            for (int b = fh; b < fh + nh; b++)
                            {
                                int ih = sh + b * g.Dilation[1];
                                T* row = x + ((long)id * IH + ih) * IW;
                                for (int c = fw; c < fw + nw; c++)
                                {
                                    int iw = sw + c * g.Dilation[2];
                                    T v = row[iw];
                                    if (at < 0 || v > best)
                                    {
                                        best = v;
                                        at = _columnMajor ? ((long)iw * IH + ih) * ID + id : ((long)id * IH + ih) * IW + iw;
                                    }
                                }
                            }
                        }
                        *y++ = best;
                        if (idx != null) *idx++ = at < 0 ? -1 : p * inSize + at;
                    }
                }
            }
        }
    }

    /// <summary>Maximum only (no Indices output): geometry hoisted into locals, the window clipped once
    /// per output row and column, a plain compare loop over it.</summary>
    private void Values()
    {
        var g = _s.Geometry;
        int ID = g.In[0], IH = g.In[1], IW = g.In[2];
        int OD = g.Out[0], OH = g.Out[1], OW = g.Out[2];
        int sD = g.Stride[0], sH = g.Stride[1], sW = g.Stride[2];
        int pD = g.PadBegin[0], pH = g.PadBegin[1], pW = g.PadBegin[2];
        int kD = g.Kernel[0], kH = g.Kernel[1], kW = g.Kernel[2];
        int dD = g.Dilation[0], dH = g.Dilation[1], dW = g.Dilation[2];
        long inSize = (long)ID * IH * IW;
        T* y = _y;
        for (int p = 0; p < _s.Planes; p++)
        {
            T* x = _x + p * inSize;
            for (int od = 0; od < OD; od++)
            {
                int sd = od * sD - pD;
                var (fd, nd) = PoolShape.Span(sd, kD, dD, 0, ID);
                for (int oh = 0; oh < OH; oh++)
                {
                    int sh = oh * sH - pH;
                    var (fh, nh) = PoolShape.Span(sh, kH, dH, 0, IH);
                    for (int ow = 0; ow < OW; ow++)
                    {
                        int sw = ow * sW - pW;
                        var (fw, nw) = PoolShape.Span(sw, kW, dW, 0, IW);
                        T best = T.MinValue;
                        bool any = false;
                        for (int a = fd; a < fd + nd; a++)
                        {
                            T* plane = x + (long)(sd + a * dD) * IH * IW;
                            for (int b = fh; b < fh + nh; b++)
                            {
                                T* row = plane + (long)(sh + b * dH) * IW + sw;
                                for (int c = fw; c < fw + nw; c++)
                                {
                                    T v = row[c * dW];
                                    if (!any || v > best) { best = v; any = true; }
                                }
                            }
                        }
                        *y++ = best;
                    }
                }
            }
        }
    }
}
