using System.Xml.Linq;
using EdgeRuntime.Bench;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Tests.Bench;

public class ArchSpecTests
{
    [Fact]
    public void ParsesEveryStageKindAndChainsSizes()
    {
        var a = ArchSpec.Parse("conv1d(1,8,3,dil=2)>tanh>gru(8,16)>lstm(16,4)>relu>dense(4,1)>sigmoid");
        Assert.Equal(7, a.Stages.Count);
        Assert.Equal(new Stage(StageKind.Conv1d, 1, 8, 3, 2), a.Stages[0]);
        Assert.Equal(1, a.InputChannels);
        Assert.Equal(1, a.OutputChannels);
        Assert.Equal("conv1d(1,8,3,dil=2)>tanh>gru(8,16)>lstm(16,4)>relu>dense(4,1)>sigmoid", a.ToString());
    }

    [Fact]
    public void SymbolsAreBoundBySweeps()
    {
        var a = ArchSpec.Parse("gru(1,H)>dense(H,1)", new Dictionary<string, int> { ["H"] = 24 });
        Assert.Equal(24, a.Stages[0].Out);
        Assert.Equal(24, a.Stages[1].In);
    }

    [Theory]
    [InlineData("gru(1,8)>dense(4,1)", "takes 4 inputs")]
    [InlineData("foo(1,2)", "unknown stage")]
    [InlineData("dense(1)", "takes 2 sizes")]
    [InlineData("gru(1,H)>dense(H,1)", "neither a number")]
    [InlineData("tanh", "no layer")]
    [InlineData("dense(1,0)", "≥ 1")]
    public void BadSpecsAreRefusedClearly(string spec, string message)
    {
        var e = Assert.Throws<ModelException>(() => ArchSpec.Parse(spec));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void SweepDoublesOrSteps()
    {
        Assert.Equal([8, 16, 32, 64, 100], EdgeRuntime.Cli.PredictCommand.ParseSweep("H=8..100").Values);
        Assert.Equal([2, 5, 8], EdgeRuntime.Cli.PredictCommand.ParseSweep("C=2..8:3").Values);
    }
}

public class OpCountsTests
{
    [Fact]
    public void GruCountsFollowItsShape()
    {
        var c = OpCounts.Of(ArchSpec.Parse("gru(1,16)>dense(16,1)"), block: 1);
        Assert.Equal(3 * 16 * 1 + 3 * 16 * 16 + 16, c.Macs);
        Assert.Equal(2 * 16, c.Sigmoid);
        Assert.Equal(16, c.Tanh);
        Assert.Equal(2, c.LayerCall);
        Assert.Equal(2.0 / 64, OpCounts.Of(ArchSpec.Parse("gru(1,16)>dense(16,1)"), block: 64).LayerCall);
    }

    [Fact]
    public void LstmCostsMoreThanGruOfTheSameSize()
    {
        var g = OpCounts.Of(ArchSpec.Parse("gru(4,32)"), 1);
        var l = OpCounts.Of(ArchSpec.Parse("lstm(4,32)"), 1);
        Assert.True(l.Macs > g.Macs);
        Assert.True(l.VectorMac > g.VectorMac);
    }
}

public class NnlsTests
{
    [Fact]
    public void RecoversKnownNonNegativeCosts()
    {
        var rnd = new Random(3);
        double[] truth = [2.0, 0.0, 0.5, 7.0];
        var a = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 4).Select(_ => rnd.NextDouble() * 10).ToArray()).ToArray();
        var b = a.Select(r => r.Zip(truth, (x, t) => x * t).Sum()).ToArray();
        var x = Nnls.Solve(a, b);
        for (int i = 0; i < 4; i++) Assert.Equal(truth[i], x[i], 6);
    }

    [Fact]
    public void NeverReturnsNegativeCosts()
    {
        // The unconstrained solution has a negative coefficient; NNLS must clamp it to zero.
        double[][] a = [[1, 1], [1, 2], [1, 3], [1, 4]];
        double[] b = [4, 3, 2, 1];
        var x = Nnls.Solve(a, b);
        Assert.All(x, v => Assert.True(v >= 0));
        Assert.Equal(0, x[1], 9);
        Assert.Equal(2.5, x[0], 6);
    }
}

public class StatisticsTests
{
    [Fact]
    public void PercentilesAndSpread()
    {
        var s = TimingStats.Of(Enumerable.Range(1, 101).Select(i => (double)i).ToArray());
        Assert.Equal(51, s.MedianUs);
        Assert.Equal(100, s.P99Us, 9);
        Assert.Equal(101, s.MaxUs);
        Assert.Equal(1, s.MinUs);
        Assert.Equal(51, s.MeanUs, 9);
    }
}

public class SvgPlotTests
{
    [Fact]
    public void PlotIsWellFormedSvgWithRealTimeLinesAndSeries()
    {
        var svg = SvgPlot.RtfPlot("gru(1,H)>dense(H,1)", "H",
            [new("predicted", "#1f77b4", [(8, 300), (16, 150), (32, 60), (64, 12)]),
             new("measured", "#2ca02c", [(8, 280), (16, 160), (32, 55), (64, 14)], Dashed: true)]);
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        var texts = doc.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("1x real time", texts);
        Assert.Contains("10x", texts);
        Assert.Contains("100x", texts);
        Assert.Contains("predicted", texts);
        Assert.Contains("measured", texts);
        Assert.Equal(8, doc.Descendants(ns + "circle").Count());
    }
}
