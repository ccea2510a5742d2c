using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemv;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:NamLstm</c>: one LSTM layer as NAM stores it, streaming, one frame at a time.
/// Inputs: X [T, I]; W [4H, I+H] row-major, gate blocks i, f, g, o, columns [x, h]; b [4H]
/// (bias_ih + bias_hh); h0 [H]; c0 [H] (the state after Reset). Output Y [T, H] (the new h per frame).
/// g = W·[x; h] + b; c = σ(g_f)⊙c + σ(g_i)⊙tanh(g_g); h = σ(g_o)⊙tanh(c). Exact tanh and sigmoid.</summary>
public sealed class NamLstmOperator : IOperator
{
    public string OpType => "edge:NamLstm";

    internal static (int T, int I, int H) Check(Node node, Graph graph)
    {
        string where = $"{graph.Source}: {node.Describe()}";
        if (node.Inputs.Count != 5) throw new ModelException($"{where}: expects inputs X, W, b, h0, c0");
        var x = graph[node.Inputs[0]];
        var w = graph[node.Inputs[1]];
        if (x.Shape.Length != 2 || w.Shape.Length != 2 || w.Shape[0] % 4 != 0)
            throw new ModelException($"{where}: X must be [T, I] and W [4H, I+H]");
        int t = x.Shape[0], i = x.Shape[1], h = w.Shape[0] / 4;
        if (w.Shape[1] != i + h) throw new ModelException($"{where}: W [{string.Join(",", w.Shape)}] does not fit I={i}, H={h}");
        int[] counts = [4 * h * (i + h), 4 * h, h, h];
        for (int k = 1; k < 5; k++)
        {
            var c = graph[node.Inputs[k]];
            if (!c.IsConstant || c.Type != DataType.Float32 || c.ElementCount != counts[k - 1])
                throw new ModelException($"{where}: input '{c.Name}' must be a float32 constant of {counts[k - 1]} values");
        }
        return (t, i, h);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var (t, _, h) = Check(node, graph);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [t, h]);
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var (_, i, h) = Check(node, graph);
        return new MemoryNeeds(0, (long)(i + h + h + 4 * h) * sizeof(float));
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new NamLstmKernel(node, ctx);
}

internal sealed unsafe class NamLstmKernel : OpKernel
{
    private readonly int _i, _h;
    private readonly float* _x, _y, _w, _b, _h0, _c0;
    private readonly float* _xh, _c, _g;

    public NamLstmKernel(Node node, KernelContext ctx)
    {
        (_, _i, _h) = NamLstmOperator.Check(node, ctx.Graph);
        _x = ctx.InF(0); _w = ctx.InF(1); _b = ctx.InF(2); _h0 = ctx.InF(3); _c0 = ctx.InF(4);
        _y = ctx.OutF(0);
        _xh = (float*)ctx.Persistent;
        _c = _xh + _i + _h;
        _g = _c + _h;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public override void Execute(int frames)
    {
        int ni = _i, nh = _h;
        float* hs = _xh + ni;
        for (int t = 0; t < frames; t++)
        {
            float* xr = _x + (long)t * ni;
            for (int k = 0; k < ni; k++) _xh[k] = xr[k];
            GemvF32.Run(4 * nh, ni + nh, _w, _xh, _g, _b);
            float* yr = _y + (long)t * nh;
            for (int k = 0; k < nh; k++)
            {
                float ig = Sigmoid(_g[k]), fg = Sigmoid(_g[nh + k]), gg = MathF.Tanh(_g[2 * nh + k]), og = Sigmoid(_g[3 * nh + k]);
                float c = fg * _c[k] + ig * gg;
                _c[k] = c;
                float h = og * MathF.Tanh(c);
                hs[k] = h;
                yr[k] = h;
            }
        }
    }

    public override void Reset()
    {
        for (int k = 0; k < _h; k++) { _xh[_i + k] = _h0[k]; _c[k] = _c0[k]; }
    }

    public override string KernelName => "nam-lstm.gemv";
}
