using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Operators.Quantized;
using EdgeRuntime.Passes;
using EdgeRuntime.Quantization;

namespace EdgeRuntime.Tests.Operators.Quantized;

/// <summary>The ONNX quantized operators' kernel-library paths against their scalar reference kernels,
/// bit for bit, on every int8 path of this machine (AVX-VNNI, AVX-512, AVX2, Vector128, the NEON models,
/// scalar): random geometries, uint8/int8 operands, per-tensor and per-channel parameters, constant and
/// run-time weights, fused clamps.</summary>
public class QuantizedFastKernelTests
{
    public static TheoryData<KernelPath> Paths()
    {
        var d = new TheoryData<KernelPath>();
        foreach (var p in KernelPaths.Int8Paths) if (KernelPaths.IsSupported(p)) d.Add(p);
        return d;
    }

    /// <summary>A random test case: the graph and its run-time input bytes.</summary>
    internal sealed record Case(Graph Graph, byte[][] Inputs, string What);

    /// <summary>Run <paramref name="c"/> with the reference kernels or the fast ones on <paramref name="path"/>;
    /// every output's bytes, and the kernel names.</summary>
    internal static (byte[][] Outputs, string[] Kernels) Run(Case c, bool reference, KernelPath? path = null)
    {
        QuantizedKernels.ForceReference = reference;
        QuantizedKernels.PathOverride = path;
        try
        {
            using var s = new Session(Compiler.Compile(Quantizer.Clone(c.Graph)));
            for (int i = 0; i < s.Inputs.Count; i++) c.Inputs[i].CopyTo(s.InputBytes(i));
            s.Run();
            return (Enumerable.Range(0, s.Outputs.Count).Select(i => s.OutputBytes(i).ToArray()).ToArray(), s.Kernels.Select(k => k.KernelName).ToArray());
        }
        finally
        {
            QuantizedKernels.ForceReference = false;
            QuantizedKernels.PathOverride = null;
        }
    }

    internal static void AssertSame(Case c, KernelPath path)
    {
        var (want, refKernels) = Run(c, reference: true);
        var (got, fastKernels) = Run(c, reference: false, path);
        Assert.Contains(refKernels, k => k.EndsWith(".ref"));
        Assert.DoesNotContain(fastKernels, k => k.EndsWith(".ref"));
        if (c.Graph.Nodes.Any(n => n.OpType != "QLinearAdd")) Assert.Contains(fastKernels, k => k.Contains(".i8.gemm." + KernelPaths.Name(path)));
        for (int o = 0; o < want.Length; o++)
            Assert.True(want[o].AsSpan().SequenceEqual(got[o]), $"{KernelPaths.Name(path)}: {c.What}: output {o} differs at byte {want[o].AsSpan().CommonPrefixLength(got[o])}");
    }

    private static byte[] Random8(Random r, long n)
    {
        var b = new byte[n];
        r.NextBytes(b);
        return b;
    }

    private static byte Zp(Random r, DataType t, bool allowNonZero = true) =>
        !allowNonZero ? (t == DataType.UInt8 ? (byte)128 : (byte)0) : t == DataType.UInt8 ? (byte)r.Next(0, 256) : (byte)(sbyte)r.Next(-128, 128);

    private static DataType Type8(Random r) => r.Next(2) == 0 ? DataType.UInt8 : DataType.Int8;

    /// <summary>Adds a tensor as a constant, or as a run-time input (bytes appended to <paramref name="inputs"/>).</summary>
    private static void Operand(Graph g, List<byte[]> inputs, string name, DataType t, int[] shape, byte[] data, bool constant)
    {
        if (constant) { g.Add(new Tensor(name, t, shape, data)); return; }
        g.Add(new Tensor(name, t, shape));
        g.Inputs.Add(name);
        inputs.Add(data);
    }

    internal static Case RandomConv(Random r, bool integer)
    {
        var g = new Graph { Source = "random.onnx" };
        var inputs = new List<byte[]>();
        bool oneD = r.Next(5) == 0;
        int n = r.Next(1, 3), group = r.Next(4) switch { 0 => 2, 1 => 3, _ => 1 };
        int cpg = r.Next(1, 6), mpg = r.Next(1, 7);
        bool depthwise = r.Next(6) == 0;
        if (depthwise) { cpg = 1; mpg = r.Next(1, 3); group = r.Next(2, 9); }
        int c = cpg * group, m = mpg * group;
        int kh = oneD ? 1 : r.Next(1, 4), kw = r.Next(1, 4);
        bool pointwise = r.Next(5) == 0;
        if (pointwise) { kh = 1; kw = 1; }
        int sh = pointwise ? 1 : r.Next(1, 3), sw = pointwise ? 1 : r.Next(1, 3);
        int dh = pointwise || kh == 1 ? 1 : r.Next(1, 3), dw = pointwise || kw == 1 ? 1 : r.Next(1, 3);
        int h = oneD ? 1 : r.Next((kh - 1) * dh + 1, 10), w = r.Next((kw - 1) * dw + 1, 12);
        long[] pads = pointwise ? (oneD ? [0, 0] : [0, 0, 0, 0])
            : oneD ? [r.Next(0, kw), r.Next(0, kw)] : [r.Next(0, kh), r.Next(0, kw), r.Next(0, kh), r.Next(0, kw)];
        var xt = Type8(r); var wt = Type8(r);
        int[] xShape = oneD ? [n, c, w] : [n, c, h, w];
        int[] wShape = oneD ? [m, cpg, kw] : [m, cpg, kh, kw];
        Operand(g, inputs, "x", xt, xShape, Random8(r, (long)n * c * h * w), false);
        bool wConst = r.Next(3) != 0;
        var wData = Random8(r, (long)m * cpg * kh * kw);
        Operand(g, inputs, "w", wt, wShape, wData, wConst);
        bool wzpPerChannel = r.Next(3) == 0;
        bool symmetric = r.Next(3) == 0;
        var wzp = Enumerable.Range(0, wzpPerChannel ? m : 1).Select(_ => Zp(r, wt, !symmetric)).ToArray();
        g.Add(new Tensor("wzp", wt, wzpPerChannel ? [m] : [], wzp));
        var xzp = new[] { Zp(r, xt) };
        g.Add(new Tensor("xzp", xt, [], xzp));
        var attrs = new List<(string, Ir.Attribute)> { ("group", Ir.Attribute.Of((long)group)), ("pads", Ir.Attribute.Of(pads)) };
        attrs.Add(("strides", Ir.Attribute.Of(oneD ? new long[] { sw } : [sh, sw])));
        attrs.Add(("dilations", Ir.Attribute.Of(oneD ? new long[] { dw } : [dh, dw])));
        string what = $"{(integer ? "ConvInteger" : "QLinearConv")} x {xt.ShortName()}{string.Join("x", xShape)} w {wt.ShortName()}{string.Join("x", wShape)}{(wConst ? " const" : "")} group {group} pads [{string.Join(",", pads)}] s {sh},{sw} d {dh},{dw} wzp{(wzpPerChannel ? " per channel" : "")}";
        Node node;
        if (integer)
        {
            node = new Node("ConvInteger", "conv", ["x", "w", "xzp", "wzp"], ["y"]);
        }
        else
        {
            bool wsPerChannel = r.Next(2) == 0;
            g.Add(Tensor.FromFloats("xs", [], [0.02f + (float)r.NextDouble() * 0.05f]));
            g.Add(Tensor.FromFloats("ws", wsPerChannel ? [m] : [], Enumerable.Range(0, wsPerChannel ? m : 1).Select(_ => 0.005f + (float)r.NextDouble() * 0.03f).ToArray()));
            g.Add(Tensor.FromFloats("ys", [], [0.05f + (float)r.NextDouble() * 0.3f * cpg * kh * kw]));
            var yt = Type8(r);
            g.Add(new Tensor("yzp", yt, [], [Zp(r, yt)]));
            var inputsList = new List<string> { "x", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp" };
            if (r.Next(3) != 0)
            {
                var bias = Enumerable.Range(0, m).Select(_ => r.Next(-20000, 20000)).ToArray();
                g.Add(new Tensor("b", DataType.Int32, [m], MemoryMarshal.AsBytes(bias.AsSpan()).ToArray()));
                inputsList.Add("b");
            }
            node = new Node("QLinearConv", "conv", inputsList, ["y"]);
            int act = r.Next(4);
            if (act == 1) new FusedActivation(FusedActivationKind.Relu).WriteTo(node);
            if (act == 2) new FusedActivation(FusedActivationKind.Clip, min: -1f, max: 2.5f).WriteTo(node);
            what += $" ws{(wsPerChannel ? " per channel" : "")} y {yt.ShortName()} act {act}";
        }
        foreach (var (k, v) in attrs) node.Set(k, v);
        g.Nodes.Add(node);
        g.Outputs.Add("y");
        return new Case(g, inputs.ToArray(), what);
    }

    internal static Case RandomMatMul(Random r, bool integer)
    {
        var g = new Graph { Source = "random.onnx" };
        var inputs = new List<byte[]>();
        int batches = r.Next(1, 4), m = r.Next(1, 9), k = r.Next(1, 80), n = r.Next(1, 40);
        bool batched = r.Next(3) == 0, threeD = batched || r.Next(2) == 0;
        var at = Type8(r); var bt = Type8(r);
        int[] aShape = threeD ? [batches, m, k] : [m, k];
        int[] bShape = batched ? [batches, k, n] : [k, n];
        if (!threeD) batches = 1;
        Operand(g, inputs, "a", at, aShape, Random8(r, (long)batches * m * k), false);
        bool bConst = !batched && r.Next(3) != 0;
        Operand(g, inputs, "b", bt, bShape, Random8(r, (long)(batched ? batches : 1) * k * n), bConst);
        bool aPerRow = r.Next(4) == 0, bPerCol = r.Next(3) == 0, bSym = r.Next(3) == 0;
        g.Add(new Tensor("azp", at, aPerRow ? [m] : [], Enumerable.Range(0, aPerRow ? m : 1).Select(_ => Zp(r, at)).ToArray()));
        g.Add(new Tensor("bzp", bt, bPerCol ? [n] : [], Enumerable.Range(0, bPerCol ? n : 1).Select(_ => Zp(r, bt, !bSym)).ToArray()));
        string what = $"{(integer ? "MatMulInteger" : "QLinearMatMul")} a {at.ShortName()}{string.Join("x", aShape)} b {bt.ShortName()}{string.Join("x", bShape)}{(bConst ? " const" : "")} azp{(aPerRow ? " per row" : "")} bzp{(bPerCol ? " per column" : "")}";
        Node node;
        if (integer) node = new Node("MatMulInteger", "mm", ["a", "b", "azp", "bzp"], ["y"]);
        else
        {
            bool bsPerCol = r.Next(2) == 0;
            if (aPerRow) g.Tensors["azp"] = new Tensor("azp", at, [], [Zp(r, at)]); // QLinearMatMul: a scale is per tensor
            g.Add(Tensor.FromFloats("as", [], [0.02f + (float)r.NextDouble() * 0.05f]));
            g.Add(Tensor.FromFloats("bs", bsPerCol ? [n] : [], Enumerable.Range(0, bsPerCol ? n : 1).Select(_ => 0.005f + (float)r.NextDouble() * 0.03f).ToArray()));
            g.Add(Tensor.FromFloats("ys", [], [0.05f + (float)r.NextDouble() * 0.2f * k]));
            var yt = Type8(r);
            g.Add(new Tensor("yzp", yt, [], [Zp(r, yt)]));
            node = new Node("QLinearMatMul", "mm", ["a", "as", "azp", "b", "bs", "bzp", "ys", "yzp"], ["y"]);
            if (r.Next(3) == 0) new FusedActivation(FusedActivationKind.Relu).WriteTo(node);
            what += $" bs{(bsPerCol ? " per column" : "")} y {yt.ShortName()}";
        }
        g.Nodes.Add(node);
        g.Outputs.Add("y");
        return new Case(g, inputs.ToArray(), what);
    }

    internal static Case RandomGemm(Random r)
    {
        var g = new Graph { Source = "random.onnx" };
        var inputs = new List<byte[]>();
        int m = r.Next(1, 7), k = r.Next(1, 90), n = r.Next(1, 30);
        bool ta = r.Next(3) == 0, tb = r.Next(2) == 0;
        var at = Type8(r); var bt = Type8(r);
        Operand(g, inputs, "a", at, ta ? [k, m] : [m, k], Random8(r, (long)m * k), false);
        bool bConst = r.Next(3) != 0;
        Operand(g, inputs, "b", bt, tb ? [n, k] : [k, n], Random8(r, (long)k * n), bConst);
        bool bPerCol = r.Next(2) == 0;
        g.Add(new Tensor("azp", at, [], [Zp(r, at)]));
        g.Add(new Tensor("bzp", bt, bPerCol ? [n] : [], Enumerable.Range(0, bPerCol ? n : 1).Select(_ => Zp(r, bt, r.Next(2) == 0)).ToArray()));
        g.Add(Tensor.FromFloats("as", [], [0.02f + (float)r.NextDouble() * 0.05f]));
        g.Add(Tensor.FromFloats("bs", bPerCol ? [n] : [], Enumerable.Range(0, bPerCol ? n : 1).Select(_ => 0.005f + (float)r.NextDouble() * 0.03f).ToArray()));
        g.Add(Tensor.FromFloats("ys", [], [0.05f + (float)r.NextDouble() * 0.2f * k]));
        var yt = Type8(r);
        g.Add(new Tensor("yzp", yt, [], [Zp(r, yt)]));
        string bias = "";
        if (r.Next(2) == 0)
        {
            bool scalar = r.Next(3) == 0;
            var c = Enumerable.Range(0, scalar ? 1 : n).Select(_ => r.Next(-5000, 5000)).ToArray();
            g.Add(new Tensor("c", DataType.Int32, scalar ? [] : [n], MemoryMarshal.AsBytes(c.AsSpan()).ToArray()));
            bias = "c";
        }
        var node = new Node("QGemm", "gemm", ["a", "as", "azp", "b", "bs", "bzp", bias, "ys", "yzp"], ["y"], "com.microsoft")
            .Set("transA", Ir.Attribute.Of(ta ? 1L : 0L)).Set("transB", Ir.Attribute.Of(tb ? 1L : 0L)).Set("alpha", Ir.Attribute.Of(r.Next(2) == 0 ? 1f : 0.75f));
        if (r.Next(3) == 0) new FusedActivation(FusedActivationKind.Clip, min: 0f, max: 3f).WriteTo(node);
        g.Nodes.Add(node);
        g.Outputs.Add("y");
        return new Case(g, inputs.ToArray(), $"QGemm a {at.ShortName()} b {bt.ShortName()}{(bConst ? " const" : "")} m {m} k {k} n {n} transA {ta} transB {tb} bias '{bias}'");
    }

    internal static Case RandomAdd(Random r)
    {
        var g = new Graph { Source = "random.onnx" };
        var inputs = new List<byte[]>();
        int[] shape = [r.Next(1, 3), r.Next(1, 5), r.Next(1, 9), r.Next(1, 40)];
        int[] bShape = r.Next(3) switch { 0 => [shape[1], 1, shape[3]], 1 => [1], _ => shape };
        var at = Type8(r); var bt = Type8(r); var yt = Type8(r);
        Operand(g, inputs, "a", at, shape, Random8(r, shape.Aggregate(1, (x, d) => x * d)), false);
        Operand(g, inputs, "b", bt, bShape, Random8(r, bShape.Aggregate(1, (x, d) => x * d)), false);
        g.Add(new Tensor("azp", at, [], [Zp(r, at)]));
        g.Add(new Tensor("bzp", bt, [], [Zp(r, bt)]));
        g.Add(new Tensor("yzp", yt, [], [Zp(r, yt)]));
        g.Add(Tensor.FromFloats("as", [], [0.01f + (float)r.NextDouble() * 0.05f]));
        g.Add(Tensor.FromFloats("bs", [], [0.01f + (float)r.NextDouble() * 0.05f]));
        g.Add(Tensor.FromFloats("ys", [], [0.02f + (float)r.NextDouble() * 0.05f]));
        var node = new Node("QLinearAdd", "add", ["a", "as", "azp", "b", "bs", "bzp", "ys", "yzp"], ["y"], "com.microsoft");
        if (r.Next(3) == 0) new FusedActivation(FusedActivationKind.Relu).WriteTo(node);
        g.Nodes.Add(node);
        g.Outputs.Add("y");
        return new Case(g, inputs.ToArray(), $"QLinearAdd [{string.Join(",", shape)}] + [{string.Join(",", bShape)}]");
    }

    [Theory, MemberData(nameof(Paths))]
    public void QGemmMatchesTheReference(KernelPath path)
    {
        var r = new Random(500 + (int)path);
        for (int t = 0; t < (KernelPaths.IsModel(path) ? 15 : 50); t++) AssertSame(RandomGemm(r), path);
    }

    [Fact]
    public void QLinearAddMatchesTheReference()
    {
        var r = new Random(600);
        for (int t = 0; t < 60; t++) AssertSame(RandomAdd(r), KernelPaths.BestInt8);
    }

    [Theory, MemberData(nameof(Paths))]
    public void QLinearConvMatchesTheReference(KernelPath path)
    {
        var r = new Random(100 + (int)path);
        for (int t = 0; t < (KernelPaths.IsModel(path) ? 15 : 60); t++) AssertSame(RandomConv(r, integer: false), path);
    }

    [Theory, MemberData(nameof(Paths))]
    public void ConvIntegerMatchesTheReference(KernelPath path)
    {
        var r = new Random(200 + (int)path);
        for (int t = 0; t < (KernelPaths.IsModel(path) ? 10 : 40); t++) AssertSame(RandomConv(r, integer: true), path);
    }

    [Theory, MemberData(nameof(Paths))]
    public void QLinearMatMulMatchesTheReference(KernelPath path)
    {
        var r = new Random(300 + (int)path);
        for (int t = 0; t < (KernelPaths.IsModel(path) ? 15 : 60); t++) AssertSame(RandomMatMul(r, integer: false), path);
    }

    [Theory, MemberData(nameof(Paths))]
    public void MatMulIntegerMatchesTheReference(KernelPath path)
    {
        var r = new Random(400 + (int)path);
        for (int t = 0; t < (KernelPaths.IsModel(path) ? 10 : 40); t++) AssertSame(RandomMatMul(r, integer: true), path);
    }

    [Theory]
    [InlineData(DataType.UInt8)]
    [InlineData(DataType.Int8)]
    public void PerTensorQuantizeAndDequantizeMatchTheReference(DataType t)
    {
        var r = new Random(700 + (int)t);
        for (int trial = 0; trial < 30; trial++)
        {
            int n = r.Next(1, 100);
            float scale = trial % 5 == 0 ? 0.5f : 0.001f + (float)r.NextDouble() * 0.1f;
            var x = new float[n];
            for (int i = 0; i < n; i++)
                x[i] = (i % 7) switch
                {
                    0 => (r.Next(-600, 600) + 0.5f) * scale,     // ties
                    1 => float.PositiveInfinity * (r.Next(2) * 2 - 1),
                    2 => 1e30f * (r.Next(2) * 2 - 1),
                    _ => (float)(r.NextDouble() * 400 - 200) * scale,
                };
            var g = new Graph { Source = "qdq.onnx" };
            g.Add(new Tensor("x", DataType.Float32, [n]));
            g.Inputs.Add("x");
            g.Add(Tensor.FromFloats("s", [], [scale]));
            g.Add(new Tensor("z", t, [], [Zp(r, t)]));
            g.Nodes.Add(new Node("QuantizeLinear", "q", ["x", "s", "z"], ["q"]));
            g.Nodes.Add(new Node("DequantizeLinear", "dq", ["q", "s", "z"], ["y"]));
            g.Outputs.AddRange(["q", "y"]);
            var c = new Case(g, [MemoryMarshal.AsBytes(x.AsSpan()).ToArray()], $"{t.ShortName()} n={n} scale={scale}");
            var (want, refKernels) = Run(c, reference: true);
            var (got, kernels) = Run(c, reference: false);
            Assert.Equal(["quantizelinear.ref", "dequantizelinear.ref"], refKernels);
            Assert.Equal(["quantizelinear.v128", "dequantizelinear.v128"], kernels);
            for (int o = 0; o < 2; o++) Assert.True(want[o].AsSpan().SequenceEqual(got[o]), $"{c.What}: output {o}");
        }
    }

    [Fact]
    public void FastKernelsRunWithoutAllocating()
    {
        var r = new Random(7);
        foreach (var c in new[] { RandomConv(r, false), RandomConv(r, true), RandomMatMul(r, false), RandomMatMul(r, true), RandomGemm(r), RandomAdd(r) })
        {
            using var s = new Session(Compiler.Compile(Quantizer.Clone(c.Graph)));
            Assert.DoesNotContain(s.Kernels, k => k.KernelName.EndsWith(".ref"));
            AllocationAssert.NoAllocations(() => s.Run(), warmup: 1, repeats: 5);
        }
    }
}
