using EdgeRuntime.Conformance.Onnx;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Conformance;

public class OnnxQuantizedConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] Cases =
    [
        "test_quantizelinear", "test_quantizelinear_axis", "test_dequantizelinear", "test_dequantizelinear_axis",
        "test_dynamicquantizelinear", "test_dynamicquantizelinear_max_adjusted", "test_dynamicquantizelinear_min_adjusted",
        "test_qlinearconv", "test_qlinearmatmul_2D", "test_qlinearmatmul_3D", "test_matmulinteger",
        "test_basic_convinteger", "test_convinteger_with_padding", "test_convinteger_without_padding",
    ];

    [Fact]
    public void QuantizedOperatorNodeTestsPass()
    {
        string? dir = OnnxConformanceSuite.FindDefaultDataDir();
        if (dir is null) { output.WriteLine("SKIPPED: ONNX backend node test data (libonnx-testdata) not installed"); return; }
        int ran = 0;
        foreach (var name in Cases)
        {
            string caseDir = Path.Combine(dir, name);
            if (!Directory.Exists(caseDir)) { output.WriteLine($"{name}: not in this onnx version"); continue; }
            var r = OnnxConformanceSuite.RunCase(caseDir);
            Assert.True(r.Outcome == OnnxConformanceSuite.CaseOutcome.Passed, $"{name}: {r.Outcome} {r.Reason}");
            ran++;
        }
        Assert.True(ran > 0, "no quantized node test found");
    }

    [Fact]
    public void PerAxisScaleOfTheWrongLengthIsRefusedNamingTheNode()
    {
        var g = new Graph { Source = "q.onnx" };
        g.Add(new Tensor("x", DataType.Float32, [1, 3, 2]));
        g.Add(Tensor.FromFloats("s", [2], [0.5f, 0.25f]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("QuantizeLinear", "quant", ["x", "s"], ["y"]));
        g.Outputs.Add("y");
        var e = Assert.Throws<ModelException>(() => Compiler.Compile(g));
        Assert.Contains("quant", e.Message);
    }

    [Fact]
    public void QuantizeLinearRoundsHalfToEvenAndSaturates()
    {
        var g = new Graph { Source = "q.onnx" };
        g.Add(new Tensor("x", DataType.Float32, [6]));
        g.Add(Tensor.FromFloats("s", [], [0.5f]));
        g.Add(new Tensor("z", DataType.Int8, [], [unchecked((byte)(sbyte)-1)]));
        g.Inputs.Add("x");
        g.Nodes.Add(new Node("QuantizeLinear", "q", ["x", "s", "z"], ["y"]));
        g.Outputs.Add("y");
        using var s = new Session(Compiler.Compile(g));
        float[] x = [0.25f, 0.75f, -0.25f, 1000f, -1000f, 1.25f];
        x.CopyTo(s.Input(0));
        s.Run();
        // x/0.5 = 0.5, 1.5, -0.5, 2000, -2000, 2.5 → even: 0, 2, -0, sat, sat, 2; then −1
        sbyte[] expected = [-1, 1, -1, 127, -128, 1];
        Assert.Equal(expected, s.OutputBytes(0).ToArray().Select(b => (sbyte)b).ToArray());
    }
}
