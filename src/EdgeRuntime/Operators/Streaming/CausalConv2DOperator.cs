using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Gemm;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Streaming;

/// <summary><c>edge:CausalConv2D</c>: RTNeural's streaming Conv2D. Each frame is a [features, channels]
/// slice (channels innermost); the convolution is causal along time (kernel_time taps spaced by
/// <c>dilation</c> frames, the last tap on the current frame, history in persistent memory) and
/// ordinary along features (<c>stride</c>, zero padding <c>pad_left</c>). X [T, Fin·Cin] → Y [T, Fout·Cout];
/// W [KT, KF, Cin, Cout] (Keras layout), bias [Cout]. Attributes: kernel_time, kernel_feature,
/// dilation, stride, features_in, features_out, pad_left.</summary>
public sealed class CausalConv2DOperator : IOperator
{
    public string OpType => "edge:CausalConv2D";

    private readonly record struct Config(int KT, int KF, int Dil, int Stride, int Fin, int Fout, int Cin, int Cout, int PadLeft, int Frames)
    {
        public int History => (KT - 1) * Dil;
        public int InWidth => Fin * Cin;
        public int OutWidth => Fout * Cout;
    }

    private static Config Parse(Node node, Graph graph)
    {
        string where = $"{graph.Source}: {node.Describe()}";
        int width = FrameShape.Channels(graph, node, 0);
        var w = graph[node.Inputs[1]];
        if (w.Shape.Length != 4 || !w.IsConstant) throw new ModelException($"{where}: weights '{w.Name}' must be a constant [KT, KF, Cin, Cout]");
        int kt = w.Shape[0], kf = w.Shape[1], cin = w.Shape[2], cout = w.Shape[3];
        int dil = (int)node.GetInt("dilation", 1), stride = (int)node.GetInt("stride", 1);
        int fin = (int)node.GetInt("features_in", width / Math.Max(cin, 1));
        int fout = (int)node.GetInt("features_out", (fin - kf) / Math.Max(stride, 1) + 1);
        int pad = (int)node.GetInt("pad_left", 0);
        if (dil < 1 || stride < 1 || fin * cin != width || fout < 1 || pad < 0 || pad >= kf + fin)
            throw new ModelException($"{where}: inconsistent configuration (frame width {width}, features_in {fin}, filters_in {cin}, features_out {fout}, stride {stride}, dilation {dil}, pad_left {pad})");
        if (node.HasInput(2) && graph[node.Inputs[2]].ElementCount != cout)
            throw new ModelException($"{where}: bias must have {cout} entries");
        return new Config(kt, kf, dil, stride, fin, fout, cin, cout, pad, graph[node.Inputs[0]].Shape[0]);
    }

    public void InferShapes(Node node, Graph graph)
    {
        var c = Parse(node, graph);
        ShapeInference.SetOutput(graph, node, 0, DataType.Float32, [c.Frames, c.OutWidth]);
    }

    public MemoryNeeds Needs(Node node, Graph graph)
    {
        var c = Parse(node, graph);
        return new MemoryNeeds((long)(c.History + c.Frames) * c.InWidth * 4, (long)c.History * c.InWidth * 4);
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(Parse(node, ctx.Graph), ctx);

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly KernelContext _ctx;
        private readonly Config _c;
        private readonly float* _x, _y, _w, _b, _hist, _win;

        public Kernel(Config c, KernelContext ctx)
        {
            _ctx = ctx; _c = c;
            _x = ctx.InF(0); _y = ctx.OutF(0); _w = ctx.InF(1); _b = ctx.HasInput(2) ? ctx.InF(2) : null;
            _hist = (float*)ctx.Persistent; _win = (float*)ctx.Scratch;
        }

        public override string KernelName => "conv2d.causal.gemm";

        public override void Execute(int frames)
        {
            var c = _c;
            int rows = FrameShape.Rows(_ctx, frames);
            int iw = c.InWidth, ow = c.OutWidth;
            long histBytes = (long)c.History * iw * 4;
            if (!_ctx.Graph.Streaming) new Span<byte>(_hist, (int)histBytes).Clear();
            Buffer.MemoryCopy(_hist, _win, histBytes, histBytes);
            long inBytes = (long)rows * iw * 4;
            Buffer.MemoryCopy(_x, _win + (long)c.History * iw, inBytes, inBytes);
            for (int r = 0; r < rows; r++)
            {
                float* yr = _y + (long)r * ow;
                for (int fo = 0; fo < c.Fout; fo++)
                    for (int co = 0; co < c.Cout; co++) yr[fo * c.Cout + co] = _b != null ? _b[co] : 0f;
            }
            for (int kt = 0; kt < c.KT; kt++)
                for (int fo = 0; fo < c.Fout; fo++)
                {
                    int f0 = fo * c.Stride - c.PadLeft;
                    int kf0 = Math.Max(0, -f0), kf1 = Math.Min(c.KF, c.Fin - f0);
                    if (kf1 <= kf0) continue;
                    GemmF32.Run(rows, c.Cout, (kf1 - kf0) * c.Cin,
                        _win + (long)kt * c.Dil * iw + (long)(f0 + kf0) * c.Cin, iw,
                        _w + ((long)kt * c.KF + kf0) * c.Cin * c.Cout, c.Cout,
                        _y + fo * c.Cout, ow, null, accumulate: true);
                }
            Buffer.MemoryCopy(_win + (long)rows * iw, _hist, histBytes, histBytes);
        }
    }
}
