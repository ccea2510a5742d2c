using EdgeRuntime.Board.Interop;
using EdgeRuntime.Board.Realtime;
using Xunit.Abstractions;

namespace EdgeRuntime.Board.Tests.Realtime;

public class RealtimeSetupTests(ITestOutputHelper output)
{
    private sealed class FakeSyscalls(int fifo, int affinity, int mlock) : IRealtimeSyscalls
    {
        public int FifoPriorityAsked = -1;
        public int[] CpusAsked = [];
        public int MaxFifoPriority() => 50;
        public int SetFifo(int priority) { FifoPriorityAsked = priority; return fifo; }
        public int SetAffinity(ReadOnlySpan<int> cpus) { CpusAsked = cpus.ToArray(); return affinity; }
        public int LockAllMemory() => mlock;
    }

    [Fact]
    public void DeniedSettingsAreReportedWithTheirReason()
    {
        var fake = new FakeSyscalls(Errno.EPERM, Errno.EINVAL, Errno.ENOMEM);
        var r = new RealtimeSetup(fake).Apply(80, [3], lockMemory: true);
        Assert.Equal(3, r.Count);
        Assert.All(r, x => Assert.False(x.Granted));
        Assert.Equal(50, fake.FifoPriorityAsked); // capped at the system maximum
        Assert.Equal([3], fake.CpusAsked);
        Assert.Contains("EPERM", r[0].Detail);
        Assert.Contains("CAP_SYS_NICE", r[0].Detail);
        Assert.Contains("EINVAL", r[1].Detail);
        Assert.Contains("ENOMEM", r[2].Detail);
        Assert.StartsWith("SCHED_FIFO: denied", r[0].ToString());
    }

    [Fact]
    public void GrantedSettingsSaySo()
    {
        var r = new RealtimeSetup(new FakeSyscalls(0, 0, 0)).Apply(10, [0, 1], lockMemory: true);
        Assert.All(r, x => Assert.True(x.Granted));
        Assert.Equal("SCHED_FIFO: granted (priority 10)", r[0].ToString());
        Assert.Equal("affinity: granted (CPU 0,1)", r[1].ToString());
    }

    [Fact]
    public void NothingAskedNothingDone()
    {
        var fake = new FakeSyscalls(0, 0, 0);
        Assert.Empty(new RealtimeSetup(fake).Apply(null, null, lockMemory: false));
        Assert.Equal(-1, fake.FifoPriorityAsked);
    }

    [Fact]
    public void OnThisMachineEachSettingIsReportedAndNoneThrows()
    {
        // Run on a throwaway thread so SCHED_FIFO/affinity do not stick to a test-runner thread.
        IReadOnlyList<RealtimeSetupResult>? r = null;
        var t = new Thread(() => r = new RealtimeSetup().Apply(1, [0], lockMemory: false));
        t.Start();
        t.Join();
        Assert.NotNull(r);
        Assert.Equal(2, r!.Count);
        foreach (var x in r)
        {
            output.WriteLine(x.ToString());
            Assert.False(string.IsNullOrWhiteSpace(x.Detail));
        }
    }
}
