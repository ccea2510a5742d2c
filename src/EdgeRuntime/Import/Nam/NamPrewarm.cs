using EdgeRuntime.Execution;

namespace EdgeRuntime.Import.Nam;

/// <summary>NAM core's prewarm: after a Reset, feed zeros in blocks of the session's frame count
/// until at least <c>samples</c> have been processed (⌈samples/block⌉·block zeros); output discarded.</summary>
public static class NamPrewarm
{
    public static void Run(Session session, int samples)
    {
        if (samples <= 0) return;
        int block = session.MaxFrames;
        for (int done = 0; done < samples; done += block)
        {
            session.Input(0).Clear();
            session.Run(block);
        }
    }
}
