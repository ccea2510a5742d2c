using System.Diagnostics;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Bench;

/// <summary>Builds a generated network and measures its compute time per frame at a block size.</summary>
public static class NetworkTimer
{
    /// <summary>Median nanoseconds per frame over <paramref name="repeats"/> passes of
    /// <paramref name="frames"/> frames each, processed in calls of <paramref name="block"/>.</summary>
    public static double MeasureNsPerFrame(ArchSpec arch, int block, int frames = 4800, int repeats = 7)
    {
        var g = Import.RTNeural.RtNeuralImporter.Parse(System.Text.Encoding.UTF8.GetBytes(NetworkBuilder.ToRtNeuralJson(arch)), $"generated:{arch}");
        if (!g.Streaming) throw new ModelException($"{arch}: generated network is not a streaming graph");
        var plan = Compiler.Compile(g, new CompileOptions { MaxFrames = block });
        using var s = new Session(plan);
        BenchRunner.FillInputs(s, 7);
        int calls = Math.Max(1, frames / block);
        // Warm-up: one whole pass (first-touch of the arena and weights, caches, clock ramp-up).
        for (int i = 0; i < calls; i++) s.Run(block);
        var t = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) s.Run(block);
            t[r] = BenchRunner.TicksToUs(Stopwatch.GetTimestamp() - t0) * 1000.0 / (calls * block);
        }
        return TimingStats.Of(t).MedianUs;
    }
}
