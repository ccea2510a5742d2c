using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Quantized;
using EdgeRuntime.Passes;
using EdgeRuntime.Quantization;

namespace EdgeRuntime.Tests.Operators.Tflite;

/// <summary>TFLite int8 DEPTHWISE_CONV_2D (every depth multiplier) and ADD on the kernel library against the
/// operators' scalar reference loops, bit for bit, on random geometries and quantization parameters.</summary>
public class TfliteInt8KernelTests
{
    private static byte[] RandomBytes(Random r, int n) { var b = new byte[n]; r.NextBytes(b); return b; }

    private static (byte[] Output, string Kernel) Run(Graph g, byte[][] inputs, bool reference)
    {
        QuantizedKernels.ForceReference = reference;
        try
        {
            using var s = new Session(Compiler.Compile(Quantizer.Clone(g)));
            for (int i = 0; i < inputs.Length; i++) inputs[i].CopyTo(s.InputBytes(i));
            s.Run();
            if (!reference) AllocationAssert.NoAllocations(() => s.Run(), warmup: 1, repeats: 3);
            return (s.OutputBytes(0).ToArray(), s.Kernels[0].KernelName);
        }
        finally { QuantizedKernels.ForceReference = false; }
    }

    private static Graph Depthwise(Random r, int m, out byte[] input)
    {
        int n = r.Next(1, 3), h = r.Next(1, 9), w = r.Next(1, 9), ic = r.Next(1, 12), kh = r.Next(1, 4), kw = r.Next(1, 4);
        int oc = ic * m;
        var g = new Graph { Source = "dw.tflite" };
        g.Add(new Tensor("x", DataType.Int8, [n, h, w, ic], null, QuantParams.PerTensor(0.05f, r.Next(-20, 20))));
        g.Inputs.Add("x");
        var scales = Enumerable.Range(0, oc).Select(_ => 0.002f + (float)r.NextDouble() * 0.02f).ToArray();
        var wq = RandomBytes(r, kh * kw * oc);
        for (int i = 0; i < wq.Length; i++) if (wq[i] == 0x80) wq[i] = 0x81;
        g.Add(new Tensor("w", DataType.Int8, [1, kh, kw, oc], wq, new QuantParams(scales, new long[oc], 3)));
        var bias = Enumerable.Range(0, oc).Select(_ => r.Next(-3000, 3000)).ToArray();
        g.Add(new Tensor("b", DataType.Int32, [oc], MemoryMarshal.AsBytes(bias.AsSpan()).ToArray()));
        g.Add(new Tensor("y", DataType.Int8, [1], null, QuantParams.PerTensor(0.03f + (float)r.NextDouble() * 0.1f, r.Next(-30, 30))));
        var node = new Node("DEPTHWISE_CONV_2D", "dw", ["x", "w", "b"], ["y"], "tflite")
            .Set("padding", Ir.Attribute.Of(r.Next(2) == 0 ? "SAME" : "VALID"))
            .Set("stride_h", Ir.Attribute.Of((long)r.Next(1, 3))).Set("stride_w", Ir.Attribute.Of((long)r.Next(1, 3)))
            .Set("dilation_h", Ir.Attribute.Of((long)r.Next(1, 3))).Set("dilation_w", Ir.Attribute.Of(1L))
            .Set("depth_multiplier", Ir.Attribute.Of((long)m))
            .Set("activation", Ir.Attribute.Of(r.Next(3) switch { 0 => "RELU", 1 => "RELU6", _ => "NONE" }));
        g.Nodes.Add(node);
        g.Outputs.Add("y");
        input = RandomBytes(r, n * h * w * ic);
        return g;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DepthwiseConvOnTheKernelLibraryMatchesTheReference(int multiplier)
    {
        var r = new Random(10 + multiplier);
        int done = 0;
        for (int t = 0; t < 60; t++)
        {
            Graph g;
            byte[] x;
            try { g = Depthwise(r, multiplier, out x); Compiler.Compile(Quantizer.Clone(g)); }
            catch (ModelException) { continue; } // a VALID window larger than the input
            var (want, refKernel) = Run(g, [x], reference: true);
            var (got, kernel) = Run(g, [x], reference: false);
            Assert.Equal("dwconv2d.i8.ref", refKernel);
            Assert.StartsWith("dwconv2d.i8.kernels", kernel);
            Assert.True(want.AsSpan().SequenceEqual(got), $"multiplier {multiplier} case {t}: differs at {want.AsSpan().CommonPrefixLength(got)}");
            done++;
        }
        Assert.True(done >= 30, $"only {done} valid cases");
    }

    [Fact]
    public void AddOnTheKernelLibraryMatchesTheReference()
    {
        var r = new Random(21);
        for (int t = 0; t < 40; t++)
        {
            int[] shape = [1, r.Next(1, 7), r.Next(1, 7), r.Next(1, 40)];
            int n = shape.Aggregate(1, (a, d) => a * d);
            var g = new Graph { Source = "add.tflite" };
            g.Add(new Tensor("a", DataType.Int8, shape, null, QuantParams.PerTensor(0.01f + (float)r.NextDouble() * 0.1f, r.Next(-128, 128))));
            g.Add(new Tensor("b", DataType.Int8, shape, null, QuantParams.PerTensor(0.01f + (float)r.NextDouble() * 0.1f, r.Next(-128, 128))));
            g.Add(new Tensor("y", DataType.Int8, shape, null, QuantParams.PerTensor(0.02f + (float)r.NextDouble() * 0.2f, r.Next(-128, 128))));
            g.Inputs.AddRange(["a", "b"]);
            g.Nodes.Add(new Node("ADD", "add", ["a", "b"], ["y"], "tflite").Set("activation", Ir.Attribute.Of(t % 3 == 0 ? "RELU" : "NONE")));
            g.Outputs.Add("y");
            byte[][] inputs = [RandomBytes(r, n), RandomBytes(r, n)];
            var (want, refKernel) = Run(g, inputs, reference: true);
            var (got, kernel) = Run(g, inputs, reference: false);
            Assert.Equal("add.i8.ref", refKernel);
            Assert.Equal("add.i8.kernels", kernel);
            Assert.True(want.AsSpan().SequenceEqual(got), $"case {t}: differs at {want.AsSpan().CommonPrefixLength(got)}");
        }
    }
}
