namespace EdgeRuntime.Conformance;

/// <summary>Result of one conformance suite, the same JSON shape for every suite:
/// <c>{"suite":..,"passed":N,"failed":N,"skipped":N,"failures":[{"case":..,"reason":..}]}</c>.</summary>
public sealed class ConformanceReport
{
    public string Suite { get; set; } = "";
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int Skipped { get; set; }
    public List<CaseResult> Failures { get; set; } = new();
    /// <summary>Skipped cases with the reason each was skipped.</summary>
    public List<CaseResult> SkippedCases { get; set; } = new();
    /// <summary>Optional extra notes (e.g. NEON instructions used but not verified by vectors).</summary>
    public List<CaseResult> Unverified { get; set; } = new();
    public string DataDir { get; set; } = "";

    public void Pass() => Passed++;
    public void Fail(string name, string reason) { Failed++; Failures.Add(new CaseResult(name, reason)); }
    public void Skip(string name, string reason) { Skipped++; SkippedCases.Add(new CaseResult(name, reason)); }
}

public sealed record CaseResult(string Case, string Reason);
