using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;
using EdgeRuntime.Realtime;

namespace EdgeRuntime.Tests.Realtime;

public class SessionBlockProcessorTests
{
    [Fact]
    public void StreamingPassThroughCopiesEachBlockAndPartialBlocks()
    {
        using var s = new Session(Compiler.Compile(DemoModel.PassThrough(64), new CompileOptions { MaxFrames = 64 }));
        var p = new SessionBlockProcessor(s);
        Assert.Equal(64, p.BlockFrames);
        Assert.Equal(48000, p.SampleRate);
        var x = Enumerable.Range(0, 64).Select(i => i * 0.01f).ToArray();
        var y = new float[64];
        p.Process(x, y);
        Assert.Equal(x, y);
        var y2 = new float[10];
        p.Process(x.AsSpan(0, 10), y2);
        Assert.Equal(x[..10], y2);
    }

    [Fact]
    public void ProcessAllocatesNothing()
    {
        using var s = new Session(Compiler.Compile(DemoModel.PassThrough(64), new CompileOptions { MaxFrames = 64 }));
        var p = new SessionBlockProcessor(s);
        var x = new float[64];
        var y = new float[64];
        AllocationAssert.NoAllocations(() => p.Process(x, y));
    }

    [Fact]
    public void NonAudioModelIsRefusedNamingTheTensor()
    {
        var g = new Graph { Name = "ints", Source = "ints.test" };
        g.Add(new Tensor("ids", DataType.Int64, [4]));
        g.Inputs.Add("ids");
        g.Nodes.Add(new Node("Identity", "i", ["ids"], ["out"]));
        g.Outputs.Add("out");
        using var s = new Session(Compiler.Compile(g));
        var e = Assert.Throws<ModelException>(() => new SessionBlockProcessor(s));
        Assert.Contains("'ids'", e.Message);
        Assert.Contains("float32", e.Message);
    }
}
