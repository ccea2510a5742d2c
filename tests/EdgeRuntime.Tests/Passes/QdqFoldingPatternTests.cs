using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Quantization;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Passes;

/// <summary>Each QDQ pattern folded into integer operators against the same graph unfolded (DequantizeLinear →
/// float op → QuantizeLinear, compiled without optimization): exact where the folded form performs the same
/// arithmetic or commutes with quantization (MaxPool, data movement, lookup tables, QLinearAdd, Relu/Clip
/// clamps), within 1 LSB where the integer accumulation replaces a float sum (Conv, MatMul, Gemm, pooling).</summary>
public class QdqFoldingPatternTests(ITestOutputHelper output)
{
    /// <summary>Builds x (float input) → QuantizeLinear → DequantizeLinear → … → QuantizeLinear → y (quantized output).</summary>
    private sealed class Qdq
    {
        public readonly Graph G = new() { Source = "qdq.onnx" };
        public readonly DataType Act;
        private int _n;

        public Qdq(DataType act) => Act = act;

        /// <summary>A float graph input, quantized and dequantized; returns the dequantized tensor.</summary>
        public string Input(string name, int[] shape, float scale, int zp)
        {
            G.Add(new Tensor(name, DataType.Float32, shape));
            G.Inputs.Add(name);
            return Dequantize(Quantize(name, scale, zp), scale, zp);
        }

        public (string Scale, string Zp) Params(float scale, int zp)
        {
            string s = $"s{_n}", z = $"z{_n++}";
            G.Add(Tensor.FromFloats(s, [], [scale]));
            G.Add(new Tensor(z, Act, [], [(byte)zp]));
            return (s, z);
        }

        public string Quantize(string x, float scale, int zp)
        {
            var (s, z) = Params(scale, zp);
            string y = x + "_q";
            G.Nodes.Add(new Node("QuantizeLinear", "q_" + x, [x, s, z], [y]));
            return y;
        }

        public string Dequantize(string xq, float scale, int zp)
        {
            var (s, z) = Params(scale, zp);
            string y = xq + "_dq";
            G.Nodes.Add(new Node("DequantizeLinear", "dq_" + xq, [xq, s, z], [y]));
            return y;
        }

        /// <summary>Symmetric int8 weights per output channel (axis) behind a DequantizeLinear.</summary>
        public string Weights(string name, int[] shape, int axis, Random r)
        {
            var q = new byte[shape.Aggregate(1, (a, d) => a * d)];
            for (int i = 0; i < q.Length; i++) q[i] = (byte)(sbyte)r.Next(-127, 128);
            G.Add(new Tensor(name + "_q", DataType.Int8, shape, q));
            var scales = Enumerable.Range(0, shape[axis]).Select(_ => 0.004f + (float)r.NextDouble() * 0.01f).ToArray();
            G.Add(Tensor.FromFloats(name + "_s", [shape[axis]], scales));
            G.Nodes.Add(new Node("DequantizeLinear", "dq_" + name, [name + "_q", name + "_s"], [name]).Set("axis", Ir.Attribute.Of((long)axis)));
            return name;
        }

        public string Op(string op, string[] inputs, params (string, Ir.Attribute)[] attrs)
        {
            string y = $"{op.ToLowerInvariant()}{_n++}";
            var n = new Node(op, y + "_node", inputs, [y]);
            foreach (var (k, v) in attrs) n.Set(k, v);
            G.Nodes.Add(n);
            return y;
        }

        public void Output(string x, float scale, int zp) => G.Outputs.Add(Quantize(x, scale, zp));
    }

    private static int Zp(Random r, DataType t) => t == DataType.UInt8 ? r.Next(60, 200) : r.Next(-60, 60);

    /// <summary>Runs folded and unfolded on random inputs; returns (largest difference in LSB, differing values, total).</summary>
    private (int MaxDiff, int Differing, int Total) Compare(Qdq q, string folded, int trials = 20, int seed = 1)
    {
        var optimized = Compiler.Compile(Quantizer.Clone(q.G));
        Assert.Contains(optimized.Graph.Nodes, n => n.OpType == folded);
        Assert.DoesNotContain(optimized.Graph.Nodes, n => n.OpType == "DequantizeLinear" && optimized.Graph.Nodes.Any(c => c.Inputs.Contains(n.Outputs[0]) && c.OpType is not "QuantizeLinear"));
        using var fast = new Session(optimized);
        using var slow = new Session(Compiler.Compile(Quantizer.Clone(q.G), new CompileOptions { Optimize = false }));
        var r = new Random(seed);
        int max = 0, diff = 0, total = 0;
        for (int t = 0; t < trials; t++)
        {
            for (int i = 0; i < fast.Inputs.Count; i++)
            {
                var x = MemoryMarshal.Cast<byte, float>(fast.InputBytes(i));
                for (int e = 0; e < x.Length; e++) x[e] = (float)(r.NextDouble() * 8 - 3.5);
                fast.InputBytes(i).CopyTo(slow.InputBytes(i));
            }
            fast.Run();
            slow.Run();
            var a = fast.OutputBytes(0);
            var b = slow.OutputBytes(0);
            for (int e = 0; e < a.Length; e++)
            {
                int va = q.Act == DataType.Int8 ? (sbyte)a[e] : a[e], vb = q.Act == DataType.Int8 ? (sbyte)b[e] : b[e];
                int d = Math.Abs(va - vb);
                max = Math.Max(max, d);
                if (d != 0) diff++;
                total++;
            }
        }
        output.WriteLine($"{folded}: {diff}/{total} values differ, largest difference {max} LSB");
        return (max, diff, total);
    }

    public static TheoryData<DataType, int> Cases()
    {
        var d = new TheoryData<DataType, int>();
        foreach (var t in new[] { DataType.UInt8, DataType.Int8 }) for (int act = 0; act < 3; act++) d.Add(t, act);
        return d;
    }

    private static void Activation(Qdq q, ref string y, int act)
    {
        if (act == 1) y = q.Op("Relu", [y]);
        if (act == 2)
        {
            q.G.Add(Tensor.FromFloats("lo" + y, [], [-0.5f]));
            q.G.Add(Tensor.FromFloats("hi" + y, [], [1.5f]));
            y = q.Op("Clip", [y, "lo" + y, "hi" + y]);
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void ConvWithinOneLsb(DataType t, int act)
    {
        var r = new Random(3);
        var q = new Qdq(t);
        string x = q.Input("x", [1, 3, 9, 9], 0.03f, Zp(r, t));
        string w = q.Weights("w", [8, 3, 3, 3], 0, r);
        q.G.Add(Tensor.FromFloats("b", [8], Enumerable.Range(0, 8).Select(i => (float)(r.NextDouble() - 0.5)).ToArray()));
        string y = q.Op("Conv", [x, w, "b"], ("pads", Ir.Attribute.Of(new long[] { 1, 1, 1, 1 })), ("strides", Ir.Attribute.Of(new long[] { 2, 1 })));
        Activation(q, ref y, act);
        q.Output(y, 0.02f, Zp(r, t));
        var (max, _, _) = Compare(q, "QLinearConv");
        Assert.True(max <= 1, $"largest difference {max} LSB");
    }

    [Theory, MemberData(nameof(Cases))]
    public void GemmWithinOneLsb(DataType t, int act)
    {
        var r = new Random(4);
        var q = new Qdq(t);
        string a = q.Input("a", [3, 40], 0.03f, Zp(r, t));
        bool transB = act != 1;
        string w = q.Weights("w", transB ? [12, 40] : [40, 12], transB ? 0 : 1, r);
        q.G.Add(Tensor.FromFloats("c", [12], Enumerable.Range(0, 12).Select(i => (float)(r.NextDouble() - 0.5)).ToArray()));
        string y = q.Op("Gemm", [a, w, "c"], ("transB", Ir.Attribute.Of(transB ? 1L : 0L)), ("alpha", Ir.Attribute.Of(act == 2 ? 0.5f : 1f)));
        Activation(q, ref y, act);
        q.Output(y, 0.02f, Zp(r, t));
        var (max, _, _) = Compare(q, "QGemm");
        Assert.True(max <= 1, $"largest difference {max} LSB");
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatMulWithinOneLsb(DataType t, int act)
    {
        var r = new Random(5);
        var q = new Qdq(t);
        string a = q.Input("a", [2, 5, 24], 0.03f, Zp(r, t));
        string w = q.Weights("w", [24, 7], 1, r);
        string y = q.Op("MatMul", [a, w]);
        Activation(q, ref y, act);
        q.Output(y, 0.02f, Zp(r, t));
        var (max, _, _) = Compare(q, "QLinearMatMul");
        Assert.True(max <= 1, $"largest difference {max} LSB");
    }

    [Theory, MemberData(nameof(Cases))]
    public void AddIsExact(DataType t, int act)
    {
        var r = new Random(6);
        var q = new Qdq(t);
        string a = q.Input("a", [2, 4, 5, 7], 0.03f, Zp(r, t));
        string b = q.Input("b", act == 2 ? [4, 1, 7] : [2, 4, 5, 7], 0.05f, Zp(r, t));
        string y = q.Op("Add", [a, b]);
        Activation(q, ref y, act);
        q.Output(y, 0.04f, Zp(r, t));
        var (max, _, _) = Compare(q, "QLinearAdd");
        Assert.Equal(0, max);
    }

    [Theory]
    [InlineData(DataType.UInt8, false)]
    [InlineData(DataType.Int8, false)]
    [InlineData(DataType.UInt8, true)]
    [InlineData(DataType.Int8, true)]
    public void AveragePoolingWithinOneLsb(DataType t, bool global)
    {
        var r = new Random(7);
        var q = new Qdq(t);
        string x = q.Input("x", [2, 3, 7, 6], 0.03f, Zp(r, t));
        string y = global ? q.Op("GlobalAveragePool", [x])
            : q.Op("AveragePool", [x], ("kernel_shape", Ir.Attribute.Of(new long[] { 3, 2 })), ("pads", Ir.Attribute.Of(new long[] { 1, 1, 1, 1 })),
                ("strides", Ir.Attribute.Of(new long[] { 2, 2 })), ("count_include_pad", Ir.Attribute.Of(1L)));
        q.Output(y, 0.011f, Zp(r, t));
        var (max, _, _) = Compare(q, global ? "QLinearGlobalAveragePool" : "QLinearAveragePool");
        Assert.True(max <= 1, $"largest difference {max} LSB");
    }

    [Theory]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int8)]
    public void MaxPoolAndDataMovementAreExact(DataType t)
    {
        var r = new Random(8);
        var q = new Qdq(t);
        int zp = Zp(r, t);
        string x = q.Input("x", [1, 4, 6, 6], 0.03f, zp);
        string y = q.Op("MaxPool", [x], ("kernel_shape", Ir.Attribute.Of(new long[] { 2, 2 })), ("strides", Ir.Attribute.Of(new long[] { 2, 2 })));
        y = q.Dequantize(q.Quantize(y, 0.03f, zp), 0.03f, zp);
        y = q.Op("Flatten", [y]);
        q.Output(y, 0.03f, zp);
        var (max, _, _) = Compare(q, "MaxPool");
        Assert.Equal(0, max);
        var folded = Compiler.Compile(Quantizer.Clone(q.G)).Graph;
        Assert.Contains(folded.Nodes, n => n.OpType == "Flatten" && folded[n.Inputs[0]].Type == t);
    }

    [Theory]
    [InlineData(DataType.UInt8, "Sigmoid")]
    [InlineData(DataType.Int8, "Tanh")]
    [InlineData(DataType.Int8, "LeakyRelu")]
    [InlineData(DataType.UInt8, "Relu")]
    [InlineData(DataType.Int8, "HardSwish")]
    public void UnaryActivationsBecomeExactLookupTables(DataType t, string op)
    {
        var r = new Random(9);
        var q = new Qdq(t);
        string x = q.Input("x", [3, 50], 0.03f, Zp(r, t));
        string y = q.Op(op, [x]);
        q.Output(y, 0.01f, Zp(r, t));
        var (max, _, _) = Compare(q, "LookupTable");
        Assert.Equal(0, max);
    }
}
