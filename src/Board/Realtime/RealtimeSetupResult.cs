namespace EdgeRuntime.Board.Realtime;

/// <summary>One real-time setting: asked for, and granted or denied with the reason.</summary>
public sealed record RealtimeSetupResult(string Setting, bool Granted, string Detail)
{
    public override string ToString() => $"{Setting}: {(Granted ? "granted" : "denied")} ({Detail})";
}
