using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Conv;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX Conv (opset 1+), 1 to 3 spatial dimensions: groups (depthwise included), dilations,
/// strides, explicit pads or auto_pad SAME_UPPER / SAME_LOWER / VALID, optional bias. Weights and bias
/// may be constants or run-time inputs. 1-D and 2-D convolutions with constant weights run
/// the direct kernel (<see cref="Conv2dDirectF32"/>: the input padded once into scratch, weights packed
/// when the session is created, no im2col); the rest is im2col into scratch then one GEMM per group
/// (pointwise convolutions without padding or stride skip im2col). Applies a fused activation
/// (<see cref="FusedActivation"/>) to each group's output after bias.</summary>
public sealed class ConvOperator : IOperator, ISupportsFusedActivation
{
    public string OpType => "Conv";

    public void InferShapes(Node node, Graph graph)
    {
        var s = ConvShape.Of(graph, node);
        var y = new int[2 + s.Geometry.Rank];
        y[0] = s.Batch;
        y[1] = s.OutChannels;
        s.Geometry.OutputSpatial.CopyTo(y, 2);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, y);
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var s = ConvShape.Of(graph, node);
        if (s.UsesDirect(graph[node.Inputs[1]].IsConstant)) return new MemoryNeeds(s.DirectScratchFloats * sizeof(float), 0);
        return new MemoryNeeds(s.Pointwise ? 0 : (long)s.GroupInChannels * s.Geometry.KernelSize * s.Geometry.OutSize * sizeof(float), 0);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx)
    {
        var s = ConvShape.Of(ctx.Graph, node);
        return s.UsesDirect(ctx.Input(1).IsConstant)
            ? new DirectConvKernel(s, ctx, FusedActivation.FromNode(node))
            : new ConvKernel(s, ctx, FusedActivation.FromNode(node));
    }
}

/// <summary>Validated Conv shapes: X [N, C, spatial...], W [M, C/group, kernel...], B [M].</summary>
internal sealed class ConvShape
{
    public required int Batch { get; init; }
    public required int InChannels { get; init; }
    public required int OutChannels { get; init; }
    public required int Group { get; init; }
    public required SpatialGeometry Geometry { get; init; }
    public int GroupInChannels => InChannels / Group;
    public int GroupOutChannels => OutChannels / Group;

    /// <summary>1×1 kernel, stride 1, no padding: the input already is the im2col matrix.</summary>
    public bool Pointwise => Geometry.KernelSize == 1 && Geometry.Stride.All(v => v == 1)
        && Geometry.PadBegin.All(v => v == 0) && Geometry.PadEnd.All(v => v == 0);

    /// <summary>The direct kernel applies: 1 or 2 spatial dimensions, constant weights, not a plain GEMM
    /// (pointwise), a kernel no wider than <see cref="Conv2dDirectF32.MaxKernelWidth"/>, and either at
    /// least two output channels per group (the 6-channel tile) or depthwise (one in, one out per group).</summary>
    public bool UsesDirect(bool constantWeights) => constantWeights && !Pointwise && Geometry.Rank <= 2
        && Geometry.Kernel[2] <= Conv2dDirectF32.MaxKernelWidth && (GroupOutChannels >= 2 || Depthwise);

    /// <summary>One input and one output channel per group.</summary>
    public bool Depthwise => GroupInChannels == 1 && GroupOutChannels == 1;

    /// <summary>Padded input planes for the direct kernel: one group's, or every channel's when depthwise.</summary>
    public long DirectScratchFloats
    {
        get
        {
            var g = Geometry;
            return (long)(Depthwise ? InChannels : GroupInChannels) * Conv2dDirectF32.PaddedHeight(g.Out[1], g.Kernel[1], g.Dilation[1], g.Stride[1])
                * Conv2dDirectF32.PaddedWidth(g.Out[2], g.Kernel[2], g.Dilation[2], g.Stride[2]);
        }
    }

    public static ConvShape Of(Graph graph, Node node)
    {
        var x = NnChecks.Float(graph, node, 0, "X");
        var w = NnChecks.Float(graph, node, 1, "W");
        NnChecks.Rank(graph, node, x, "input X", 3, 2 + SpatialGeometry.Dims);
        if (w.Shape.Length != x.Shape.Length)
            throw NnChecks.Error(graph, node, $"weights W '{w.Name}' {NnChecks.Dims(w.Shape)} must have the rank of X {NnChecks.Dims(x.Shape)}");
        long group = node.GetInt("group", 1);
        int c = x.Shape[1], m = w.Shape[0];
        if (group < 1 || c % group != 0 || m % group != 0)
            throw NnChecks.Error(graph, node, $"group {group} must divide the input channels {c} and output channels {m}");
        if (w.Shape[1] * group != c)
            throw NnChecks.Error(graph, node, $"weights {NnChecks.Dims(w.Shape)} expect {w.Shape[1] * group} input channels (group {group}), X {NnChecks.Dims(x.Shape)} has {c}");
        if (node.HasInput(2))
        {
            var b = NnChecks.Float(graph, node, 2, "B");
            if (b.ElementCount != m)
                throw NnChecks.Error(graph, node, $"bias '{b.Name}' {NnChecks.Dims(b.Shape)} must have {m} values");
        }
        var geo = SpatialGeometry.Forward(graph, node, x.Shape[2..], w.Shape[2..], allowCeil: false);
        return new ConvShape { Batch = x.Shape[0], InChannels = c, OutChannels = m, Group = (int)group, Geometry = geo };
    }
}

internal sealed unsafe class ConvKernel : OpKernel
{
    private readonly ConvShape _s;
    private readonly float* _x, _w, _b, _y, _col;
    private readonly bool _pointwise;
    private readonly FusedActivation _act;

    public ConvKernel(ConvShape s, KernelContext ctx, FusedActivation act)
    {
        _s = s;
        _act = act;
        _x = ctx.InF(0);
        _w = ctx.InF(1);
        _b = ctx.HasInput(2) ? ctx.InF(2) : null;
        _y = ctx.OutF(0);
        _col = (float*)ctx.Scratch;
        _pointwise = s.Pointwise;
    }

    public override string KernelName => _pointwise ? "conv.pointwise-gemm" : "conv.im2col-gemm";

    public override void Execute(int frames)
    {
        var g = _s.Geometry;
        int cg = _s.GroupInChannels, mg = _s.GroupOutChannels;
        int inSize = g.InSize, outSize = g.OutSize, k = cg * g.KernelSize;
        for (int n = 0; n < _s.Batch; n++)
        {
            for (int grp = 0; grp < _s.Group; grp++)
            {
                float* xg = _x + ((long)n * _s.InChannels + (long)grp * cg) * inSize;
                float* yg = _y + ((long)n * _s.OutChannels + (long)grp * mg) * outSize;
                float* wg = _w + (long)grp * mg * k;
                if (_b != null)
                    for (int m = 0; m < mg; m++) new Span<float>(yg + (long)m * outSize, outSize).Fill(_b[grp * mg + m]);
                float* cols = xg;
                if (!_pointwise)
                {
                    Im2Col(xg, cg, g, _col);
                    cols = _col;
                }
                GemmF32.Run(mg, outSize, k, wg, k, cols, outSize, yg, outSize, null, accumulate: _b != null);
                if (!_act.IsNone) _act.Apply(yg, (long)mg * outSize);
            }
        }
    }

    /// <summary>Rows (channel, kd, kh, kw) × columns (od, oh, ow); padding reads as zero.</summary>
    internal static void Im2Col(float* x, int channels, SpatialGeometry g, float* col)
    {
        int ID = g.In[0], IH = g.In[1], IW = g.In[2];
        int OD = g.Out[0], OH = g.Out[1], OW = g.Out[2];
        int inSize = ID * IH * IW;
        float* dst = col;
        for (int c = 0; c < channels; c++)
        {
            float* xc = x + (long)c * inSize;
            for (int kd = 0; kd < g.Kernel[0]; kd++)
                for (int kh = 0; kh < g.Kernel[1]; kh++)
                    for (int kw = 0; kw < g.Kernel[2]; kw++)
                    {
                        for (int od = 0; od < OD; od++)
                        {
                            int id = od * g.Stride[0] - g.PadBegin[0] + kd * g.Dilation[0];
                            if ((uint)id >= (uint)ID)
                            {
                                new Span<float>(dst, OH * OW).Clear();
                                dst += OH * OW;
                                continue;
                            }
                            for (int oh = 0; oh < OH; oh++)
                            {
                                int ih = oh * g.Stride[1] - g.PadBegin[1] + kh * g.Dilation[1];
                                if ((uint)ih >= (uint)IH)
                                {
                                    new Span<float>(dst, OW).Clear();
                                    dst += OW;
                                    continue;
                                }
                                float* row = xc + ((long)id * IH + ih) * IW;
                                int iw = -g.PadBegin[2] + kw * g.Dilation[2], sw = g.Stride[2];
                                for (int ow = 0; ow < OW; ow++, iw += sw)
                                    dst[ow] = (uint)iw < (uint)IW ? row[iw] : 0f;
                                dst += OW;
                            }
                        }
                    }
        }
    }
}

/// <summary>1-D/2-D convolution on <see cref="Conv2dDirectF32"/>: per batch item and group, pad the
/// group's input channels into scratch, then the direct kernel writes the output planes (bias included);
/// the fused activation follows over the group's output.</summary>
internal sealed unsafe class DirectConvKernel : OpKernel
{
    private readonly ConvShape _s;
    private readonly float* _x, _b, _y, _xp, _w;
    private readonly float[] _packed;
    private readonly int _ph, _pw, _groupPacked;
    private readonly FusedActivation _act;

    public DirectConvKernel(ConvShape s, KernelContext ctx, FusedActivation act)
    {
        _s = s;
        _act = act;
        _x = ctx.InF(0);
        _b = ctx.HasInput(2) ? ctx.InF(2) : null;
        _y = ctx.OutF(0);
        _xp = (float*)ctx.Scratch;
        var g = s.Geometry;
        _ph = Conv2dDirectF32.PaddedHeight(g.Out[1], g.Kernel[1], g.Dilation[1], g.Stride[1]);
        _pw = Conv2dDirectF32.PaddedWidth(g.Out[2], g.Kernel[2], g.Dilation[2], g.Stride[2]);
        int cg = s.GroupInChannels, mg = s.GroupOutChannels, kh = g.Kernel[1], kw = g.Kernel[2];
        if (s.Depthwise)
        {
            // Weights [C][1][kh][kw] are read as they are.
            _w = ctx.InF(1);
            _packed = [];
            return;
        }
        _groupPacked = Conv2dDirectF32.PackedLength(mg, cg, kh, kw);
        _packed = GC.AllocateArray<float>(_groupPacked * s.Group, pinned: true);
        var w = new ReadOnlySpan<float>(ctx.InF(1), s.OutChannels * cg * kh * kw);
        for (int grp = 0; grp < s.Group; grp++)
            Conv2dDirectF32.Pack(w.Slice(grp * mg * cg * kh * kw, mg * cg * kh * kw), mg, cg, kh, kw, _packed.AsSpan(grp * _groupPacked, _groupPacked));
        _w = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_packed));
    }

    public override string KernelName => _s.Depthwise ? "conv.direct-depthwise" : "conv.direct";

    public override void Execute(int frames)
    {
        var g = _s.Geometry;
        int cg = _s.GroupInChannels, mg = _s.GroupOutChannels;
        int ih = g.In[1], iw = g.In[2], oh = g.Out[1], ow = g.Out[2];
        long inPlane = (long)ih * iw, outPlane = (long)oh * ow;
        if (_s.Depthwise)
        {
            int c = _s.InChannels;
            for (int n = 0; n < _s.Batch; n++)
            {
                float* yn = _y + (long)n * c * outPlane;
                Conv2dDirectF32.PadInput(_x + (long)n * c * inPlane, c, ih, iw, g.PadBegin[1], g.PadBegin[2], _xp, _ph, _pw, g.Stride[2]);
                Conv2dDirectF32.Depthwise(c, g.Kernel[1], g.Kernel[2], g.Stride[1], g.Stride[2], g.Dilation[1], g.Dilation[2], _xp, _ph, _pw,
                    _w, _b, oh, ow, yn);
                if (!_act.IsNone) _act.Apply(yn, c * outPlane);
            }
            return;
        }
        for (int n = 0; n < _s.Batch; n++)
            for (int grp = 0; grp < _s.Group; grp++)
            {
                float* xg = _x + ((long)n * _s.InChannels + (long)grp * cg) * inPlane;
                float* yg = _y + ((long)n * _s.OutChannels + (long)grp * mg) * outPlane;
                Conv2dDirectF32.PadInput(xg, cg, ih, iw, g.PadBegin[1], g.PadBegin[2], _xp, _ph, _pw, g.Stride[2]);
                Conv2dDirectF32.Run(cg, mg, g.Kernel[1], g.Kernel[2], g.Stride[1], g.Stride[2], g.Dilation[1], g.Dilation[2], _xp, _ph, _pw,
                    _w + (long)grp * _groupPacked, _b != null ? _b + grp * mg : null, oh, ow, yg);
                if (!_act.IsNone) _act.Apply(yg, mg * outPlane);
            }
    }
}
