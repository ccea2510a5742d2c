using System.Text;
using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Import.RTNeural;
using EdgeRuntime.Ir;
using EdgeRuntime.Tests.Conformance;

namespace EdgeRuntime.Tests.Import.RTNeural;

public class RtNeuralImporterTests
{
    private static Graph Parse(string json) => RtNeuralImporter.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    [RtNeuralDataFact]
    public void BadLstmIsRefusedNamingLayerAndField()
    {
        var e = Assert.Throws<ModelException>(() => ModelLoader.Load(Path.Combine(RtNeuralDataFactAttribute.DataDir, "models", "bad_lstm.json")));
        Assert.Contains("layer 0 (lstm)", e.Message);
        Assert.Contains("weights[0]", e.Message);
        Assert.Contains("16", e.Message);
    }

    [Fact]
    public void UnknownLayerTypesAreAllListed()
    {
        var e = Assert.Throws<ModelException>(() => Parse("""
            {"in_shape":[null,1],"layers":[
              {"type":"frob","activation":"","shape":[null,1],"weights":[]},
              {"type":"dense","activation":"","shape":[null,1],"weights":[[[1.0]],[0.0]]},
              {"type":"zap","activation":"","shape":[null,1],"weights":[]}]}
            """));
        Assert.Contains("layer 0 'frob'", e.Message);
        Assert.Contains("layer 2 'zap'", e.Message);
    }

    [Fact]
    public void SkippedTypesAreDropped()
    {
        var g = RtNeuralImporter.Parse(Encoding.UTF8.GetBytes("""
            {"in_shape":[null,1],"layers":[
              {"type":"custom","activation":"","shape":[null,1]},
              {"type":"dense","activation":"","shape":[null,1],"weights":[[[2.0]],[1.0]]}]}
            """), "skip.json", new HashSet<string> { "custom" });
        using var s = new StreamingSession(g, 4);
        Assert.Equal(7f, s.Process(3f));
    }

    [Fact]
    public void DenseShapeMismatchNamesLayerAndField()
    {
        var e = Assert.Throws<ModelException>(() => Parse("""
            {"in_shape":[null,2],"layers":[{"type":"dense","activation":"tanh","shape":[null,3],"weights":[[[1,2,3]],[0,0,0]]}]}
            """));
        Assert.Contains("layer 0 (dense)", e.Message);
        Assert.Contains("weights[0]", e.Message);
    }

    [Fact]
    public void DeclaredWidthMustMatchWeights()
    {
        var e = Assert.Throws<ModelException>(() => Parse("""
            {"in_shape":[null,1],"layers":[{"type":"dense","activation":"","shape":[null,4],"weights":[[[1,2,3]],[0,0,0]]}]}
            """));
        Assert.Contains("'shape' says width 4", e.Message);
    }

    [Fact]
    public void RaggedWeightsAreRefused()
    {
        var e = Assert.Throws<ModelException>(() => Parse("""
            {"in_shape":[null,2],"layers":[{"type":"dense","activation":"","shape":[null,2],"weights":[[[1,2],[3]],[0,0]]}]}
            """));
        Assert.Contains("ragged", e.Message);
    }

    [Theory]
    [InlineData("{\"in_shape\":[null,1],\"layers\":[{\"type\":\"dense\"")]
    [InlineData("\u0001\u0002garbage")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    public void TruncatedOrGarbageFilesGetClearErrors(string text)
    {
        var e = Assert.Throws<ModelException>(() => Parse(text));
        Assert.Contains("test.json", e.Message);
    }

    [Fact]
    public void UnknownActivationIsRefused()
    {
        var e = Assert.Throws<ModelException>(() => Compile(Parse("""
            {"in_shape":[null,1],"layers":[{"type":"dense","activation":"swish","shape":[null,1],"weights":[[[1]],[0]]}]}
            """)));
        Assert.Contains("swish", e.Message);
    }

    private static StreamingSession Compile(Graph g) => new(g, 4);

    [Fact]
    public void KerasLstmGateOrderIsMappedToOnnx()
    {
        // One unit, input weight only on the Keras 'c' gate (index 2) and a large 'i' and 'o' bias:
        // h = sigmoid(10)·tanh(sigmoid(10)·tanh(x)) when the gates are mapped correctly.
        var g = Parse("""
            {"in_shape":[null,null,1],"layers":[{"type":"lstm","activation":"tanh","shape":[null,null,1],
             "weights":[[[0,0,1,0]],[[0,0,0,0]],[10,-10,0,10]]}]}
            """);
        using var s = new StreamingSession(g, 4);
        float x = 0.7f;
        double sig = 1 / (1 + Math.Exp(-10));
        double want = sig * Math.Tanh(sig * Math.Tanh(x));
        Assert.Equal(want, s.Process(x), 5);
    }
}
