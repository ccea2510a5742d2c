using EdgeRuntime.Execution;

namespace EdgeRuntime.Tests.Operators.Streaming;

/// <summary>Feeds a time-major signal through a single-input, single-output streaming session in
/// blocks of the given sizes (cycled), returning the concatenated output.</summary>
public static class StreamingRunner
{
    public static float[] Run(Session s, float[] x, int inChannels, int outChannels, IReadOnlyList<int> blocks)
    {
        int frames = x.Length / inChannels;
        var y = new float[frames * outChannels];
        int t = 0, bi = 0;
        while (t < frames)
        {
            int n = Math.Min(Math.Min(blocks[bi++ % blocks.Count], s.MaxFrames), frames - t);
            x.AsSpan(t * inChannels, n * inChannels).CopyTo(s.Input(0));
            s.Run(n);
            s.Output(0)[..(n * outChannels)].CopyTo(y.AsSpan(t * outChannels));
            t += n;
        }
        return y;
    }

    public static float[] Random(int n, int seed, float scale = 1f)
    {
        var r = new System.Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return a;
    }
}
