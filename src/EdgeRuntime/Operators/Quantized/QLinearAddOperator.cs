using System.Runtime.Intrinsics;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>com.microsoft QLinearAdd (ONNX Runtime's quantized Add; QDQ folding of Add produces it), with numpy
/// broadcasting: <c>c = saturate(round_half_even((((float)(a − a_zp))·a_scale + ((float)(b − b_zp))·b_scale) / c_scale) + c_zp)</c>,
/// every step in float32 — the same operations, in the same order, as DequantizeLinear → Add → QuantizeLinear, so
/// the folded form equals the unfolded one exactly. Scales and zero points per tensor, constant. A fused Relu/Clip
/// narrows the output clamp. Same-shape rows run 16 values per step on Vector128 (bit-exact with the scalar
/// reference row: the float operations are IEEE and round-half-even of a float equals that of its double).</summary>
public sealed class QLinearAddOperator : IOperator
{
    public string OpType => "com.microsoft:QLinearAdd";

    public void InferShapes(Node node, Graph graph)
    {
        for (int i = 0; i < 7; i++) if (!node.HasInput(i)) throw QuantElements.Error(graph, node, $"missing input {i}");
        var a = graph[node.Inputs[0]];
        var b = graph[node.Inputs[3]];
        QuantElements.Require(graph, node, a, "A", DataType.UInt8, DataType.Int8);
        QuantElements.Require(graph, node, b, "B", DataType.UInt8, DataType.Int8);
        foreach (var (i, role) in new[] { (1, "A_scale"), (4, "B_scale"), (6, "C_scale") })
        {
            QuantElements.Require(graph, node, graph[node.Inputs[i]], role, DataType.Float32);
            QuantElements.ParamCount(graph, node, graph[node.Inputs[i]], role, 1);
        }
        QuantElements.Require(graph, node, graph[node.Inputs[2]], "A_zero_point", a.Type);
        QuantElements.Require(graph, node, graph[node.Inputs[5]], "B_zero_point", b.Type);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[2]], "A_zero_point", 1);
        QuantElements.ParamCount(graph, node, graph[node.Inputs[5]], "B_zero_point", 1);
        var yType = DataType.UInt8;
        if (node.HasInput(7))
        {
            var z = graph[node.Inputs[7]];
            QuantElements.Require(graph, node, z, "C_zero_point", DataType.UInt8, DataType.Int8);
            QuantElements.ParamCount(graph, node, z, "C_zero_point", 1);
            yType = z.Type;
        }
        string[] roles = ["A_scale", "A_zero_point", "", "B_scale", "B_zero_point", "C_scale", "C_zero_point"];
        for (int i = 1; i < 8; i++) if (roles[i - 1].Length > 0) QuantElements.RequireConstant(graph, node, i, roles[i - 1]);
        QuantizedKernels.CheckFused(graph, node);
        ShapeInference.SetOutput(graph, node, 0, yType, Broadcasting.Shape(graph, node, [a.Shape, b.Shape]));
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => new Kernel(node, ctx, QuantizedKernels.ForceReference);

    /// <summary>One operand's element decoding: value = (byte ^ Flip) + Offset (uint8: as is; int8: sign).</summary>
    private readonly unsafe struct Operand(byte* data, int zeroPoint, float scale, byte flip, int offset)
    {
        public readonly byte* Data = data;
        public readonly int ZeroPoint = zeroPoint, Offset = offset;
        public readonly float Scale = scale;
        public readonly byte Flip = flip;

        public Operand At(long offsetElements) => new(Data + offsetElements, ZeroPoint, Scale, Flip, Offset);

        public static Operand Of(KernelContext ctx, int data, int scale, int zp)
        {
            var t = ctx.Input(data).Type;
            int z = ctx.HasInput(zp) ? QuantElements.Load(ctx.InputPtr(zp), 0, ctx.Input(zp).Type) : 0;
            return new Operand(ctx.InputPtr(data), z, ctx.InF(scale)[0], t == DataType.Int8 ? (byte)0x80 : (byte)0, t == DataType.Int8 ? -128 : 0);
        }

        public float Dequantized(long i) => ((float)((Data[i] ^ Flip) + Offset) - ZeroPoint) * Scale;
    }

    private sealed unsafe class Kernel : OpKernel
    {
        private readonly Operand _a, _b;
        private readonly byte* _y;
        private readonly float _ys;
        private readonly int _yzp, _min, _max;
        private readonly BroadcastIterator _it;
        private readonly bool _reference;
        private readonly long[] _offsets = new long[2];

        public Kernel(Node node, KernelContext ctx, bool reference)
        {
            _a = Operand.Of(ctx, 0, 1, 2);
            _b = Operand.Of(ctx, 3, 4, 5);
            _y = ctx.OutputPtr(0);
            var yt = ctx.Output(0).Type;
            _ys = ctx.InF(6)[0];
            _yzp = ctx.HasInput(7) ? QuantElements.Load(ctx.InputPtr(7), 0, yt) : 0;
            (_min, _max) = QuantizedKernels.Clamp(node, _ys, _yzp, yt);
            _it = new BroadcastIterator(ctx.Output(0).Shape, [ctx.Input(0).Shape, ctx.Input(3).Shape]);
            _reference = reference;
        }

        public override string KernelName => _reference ? "qlinearadd.ref" : "qlinearadd.f32.v128";

        public override void Execute(int frames)
        {
            int len = _it.RowLength;
            for (long r = 0; r < _it.Rows; r++)
            {
                _it.RowOffsets(r, _offsets);
                long ao = _offsets[0], bo = _offsets[1], yo = r * len;
                int i = 0;
                if (!_reference && _it.InnerStride[0] == 1 && _it.InnerStride[1] == 1 && Vector128.IsHardwareAccelerated)
                    i = Row(_a.At(ao), _b.At(bo), _y + yo, len);
                for (; i < len; i++)
                    _y[yo + i] = One(_a.Dequantized(ao + i * _it.InnerStride[0]) + _b.Dequantized(bo + i * _it.InnerStride[1]));
            }
        }

        private byte One(float sum) => (byte)(int)Math.Clamp(Math.Round((double)(sum / _ys), MidpointRounding.ToEven) + _yzp, _min, _max);

        /// <summary>Both operands contiguous: 16 values per step; returns how many were done.</summary>
        private int Row(Operand a, Operand b, byte* y, int n)
        {
            var ys = Vector128.Create(_ys);
            var zp = Vector128.Create((float)_yzp);
            var lo = Vector128.Create((float)_min);
            var hi = Vector128.Create((float)_max);
            int i = 0;
            for (; i <= n - 16; i += 16)
            {
                var (a0, a1, a2, a3) = Decode(a, i);
                var (b0, b1, b2, b3) = Decode(b, i);
                var q0 = Finish(a0 + b0, ys, zp, lo, hi);
                var q1 = Finish(a1 + b1, ys, zp, lo, hi);
                var q2 = Finish(a2 + b2, ys, zp, lo, hi);
                var q3 = Finish(a3 + b3, ys, zp, lo, hi);
                Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().Store(y + i);
            }
            return i;
        }

        private static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Decode(Operand o, int i)
        {
            var v = Vector128.Load(o.Data + i) ^ Vector128.Create(o.Flip);
            var (l, h) = Vector128.Widen(v);
            var (l0, l1) = Vector128.Widen(l);
            var (h0, h1) = Vector128.Widen(h);
            var off = Vector128.Create(o.Offset);
            var zp = Vector128.Create((float)o.ZeroPoint);
            var s = Vector128.Create(o.Scale);
            return ((Vector128.ConvertToSingle(l0.AsInt32() + off) - zp) * s, (Vector128.ConvertToSingle(l1.AsInt32() + off) - zp) * s,
                    (Vector128.ConvertToSingle(h0.AsInt32() + off) - zp) * s, (Vector128.ConvertToSingle(h1.AsInt32() + off) - zp) * s);
        }

        private static Vector128<int> Finish(Vector128<float> sum, Vector128<float> ys, Vector128<float> zp, Vector128<float> lo, Vector128<float> hi)
            => Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(Vector128.Round(sum / ys) + zp, lo), hi));
    }
}
