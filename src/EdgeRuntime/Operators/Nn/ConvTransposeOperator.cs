using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Nn;

/// <summary>ONNX ConvTranspose (opset 1+), 1 to 3 spatial dimensions: strides, dilations, groups,
/// pads, output_padding, output_shape and auto_pad. Computed per group as one GEMM
/// (Wᵀ·X into a column buffer) followed by col2im scatter-add into the output.</summary>
public sealed class ConvTransposeOperator : IOperator
{
    public string OpType => "ConvTranspose";

    public void InferShapes(Node node, Graph graph)
    {
        var s = ConvTransposeShape.Of(graph, node);
        var y = new int[2 + s.Geometry.Rank];
        y[0] = s.Batch;
        y[1] = s.OutChannels;
        s.Geometry.OutputSpatial.CopyTo(y, 2);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, y);
    }

    public MemoryNeeds Needs(Node node, Graph graph) =>
        new(ConvTransposeShape.Of(graph, node).ScratchFloats * sizeof(float), 0);

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new ConvTransposeKernel(ConvTransposeShape.Of(ctx.Graph, node), ctx);
}

/// <summary>Validated ConvTranspose shapes: X [N, C, spatial...], W [C, M/group, kernel...], B [M].</summary>
internal sealed class ConvTransposeShape
{
    public required int Batch { get; init; }
    public required int InChannels { get; init; }
    public required int OutChannels { get; init; }
    public required int Group { get; init; }
    public required SpatialGeometry Geometry { get; init; }
    public int GroupInChannels => InChannels / Group;
    public int GroupOutChannels => OutChannels / Group;
    /// <summary>Rows of the column buffer per group: output channels × kernel positions.</summary>
    public int ColumnRows => GroupOutChannels * Geometry.KernelSize;
    /// <summary>Transposed group weights [ColumnRows × Cg] then columns [ColumnRows × InSize].</summary>
    public long ScratchFloats => (long)ColumnRows * GroupInChannels + (long)ColumnRows * Geometry.InSize;

    public static ConvTransposeShape Of(Graph graph, Node node)
    {
        var x = NnChecks.Float(graph, node, 0, "X");
        var w = NnChecks.Float(graph, node, 1, "W");
        NnChecks.Rank(graph, node, x, "input X", 3, 2 + SpatialGeometry.Dims);
        if (w.Shape.Length != x.Shape.Length)
            throw NnChecks.Error(graph, node, $"weights W '{w.Name}' {NnChecks.Dims(w.Shape)} must have the rank of X {NnChecks.Dims(x.Shape)}");
        long group = node.GetInt("group", 1);
        int c = x.Shape[1];
        if (w.Shape[0] != c)
            throw NnChecks.Error(graph, node, $"weights {NnChecks.Dims(w.Shape)} expect {w.Shape[0]} input channels, X {NnChecks.Dims(x.Shape)} has {c}");
        if (group < 1 || c % group != 0)
            throw NnChecks.Error(graph, node, $"group {group} must divide the input channels {c}");
        int m = checked(w.Shape[1] * (int)group);
        if (node.HasInput(2))
        {
            var b = NnChecks.Float(graph, node, 2, "B");
            if (b.ElementCount != m)
                throw NnChecks.Error(graph, node, $"bias '{b.Name}' {NnChecks.Dims(b.Shape)} must have {m} values");
        }
        var geo = SpatialGeometry.Transposed(graph, node, x.Shape[2..], w.Shape[2..]);
        return new ConvTransposeShape { Batch = x.Shape[0], InChannels = c, OutChannels = m, Group = (int)group, Geometry = geo };
    }
}

internal sealed unsafe class ConvTransposeKernel : OpKernel
{
    private readonly ConvTransposeShape _s;
    private readonly float* _x, _w, _b, _y, _wt, _col;

    public ConvTransposeKernel(ConvTransposeShape s, KernelContext ctx)
    {
        _s = s;
        _x = ctx.InF(0);
        _w = ctx.InF(1);
        _b = ctx.HasInput(2) ? ctx.InF(2) : null;
        _y = ctx.OutF(0);
        _wt = (float*)ctx.Scratch;
        _col = _wt + (long)s.ColumnRows * s.GroupInChannels;
    }

    public override string KernelName => "convtranspose.gemm-col2im";

    public override void Execute(int frames)
    {
        var g = _s.Geometry;
        int cg = _s.GroupInChannels, mg = _s.GroupOutChannels, rows = _s.ColumnRows;
        int inSize = g.InSize, outSize = g.OutSize;
        for (int n = 0; n < _s.Batch; n++)
        {
            float* yn = _y + (long)n * _s.OutChannels * outSize;
            for (int m = 0; m < _s.OutChannels; m++)
                new Span<float>(yn + (long)m * outSize, outSize).Fill(_b != null ? _b[m] : 0f);
        }
        for (int grp = 0; grp < _s.Group; grp++)
        {
            // W_g is [Cg × rows]; the GEMM needs its transpose [rows × Cg].
            float* wg = _w + (long)grp * cg * rows;
            for (int c = 0; c < cg; c++)
                for (int r = 0; r < rows; r++)
                    _wt[(long)r * cg + c] = wg[(long)c * rows + r];
            for (int n = 0; n < _s.Batch; n++)
            {
                float* xg = _x + ((long)n * _s.InChannels + (long)grp * cg) * inSize;
                float* yg = _y + ((long)n * _s.OutChannels + (long)grp * mg) * outSize;
                GemmF32.Run(rows, inSize, cg, _wt, cg, xg, inSize, _col, inSize);
                Col2Im(_col, mg, g, yg);
            }
        }
    }

    /// <summary>Scatter-add columns (channel, kd, kh, kw) × (id, ih, iw) into the output.</summary>
    private static void Col2Im(float* col, int channels, SpatialGeometry g, float* y)
    {
        int ID = g.In[0], IH = g.In[1], IW = g.In[2];
        int OD = g.Out[0], OH = g.Out[1], OW = g.Out[2];
        long outSize = (long)OD * OH * OW;
        float* src = col;
        for (int m = 0; m < channels; m++)
        {
            float* ym = y + m * outSize;
            for (int kd = 0; kd < g.Kernel[0]; kd++)
                for (int kh = 0; kh < g.Kernel[1]; kh++)
                    for (int kw = 0; kw < g.Kernel[2]; kw++)
                    {
                        for (int id = 0; id < ID; id++)
                        {
                            int od = id * g.Stride[0] - g.PadBegin[0] + kd * g.Dilation[0];
                            if ((uint)od >= (uint)OD) { src += IH * IW; continue; }
                            for (int ih = 0; ih < IH; ih++)
                            {
                                int oh = ih * g.Stride[1] - g.PadBegin[1] + kh * g.Dilation[1];
                                if ((uint)oh >= (uint)OH) { src += IW; continue; }
                                float* row = ym + ((long)od * OH + oh) * OW;
                                int ow = -g.PadBegin[2] + kw * g.Dilation[2], sw = g.Stride[2];
                                for (int iw = 0; iw < IW; iw++, ow += sw)
                                    if ((uint)ow < (uint)OW) row[ow] += src[iw];
                                src += IW;
                            }
                        }
                    }
        }
    }
}
