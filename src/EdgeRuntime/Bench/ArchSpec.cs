using System.Globalization;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Bench;

public enum StageKind { Dense, Gru, Lstm, Conv1d, Tanh, Relu, Sigmoid }

/// <summary>One stage of an architecture: a layer with its sizes, or an activation.</summary>
public sealed record Stage(StageKind Kind, int In = 0, int Out = 0, int Kernel = 1, int Dilation = 1)
{
    public bool IsActivation => Kind is StageKind.Tanh or StageKind.Relu or StageKind.Sigmoid;

    public override string ToString() => Kind switch
    {
        StageKind.Dense => $"dense({In},{Out})",
        StageKind.Gru => $"gru({In},{Out})",
        StageKind.Lstm => $"lstm({In},{Out})",
        StageKind.Conv1d => Dilation == 1 ? $"conv1d({In},{Out},{Kernel})" : $"conv1d({In},{Out},{Kernel},dil={Dilation})",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>An architecture written as text: stages joined by '&gt;', each one of
/// <c>dense(in,out)</c>, <c>gru(in,hidden)</c>, <c>lstm(in,hidden)</c>, <c>conv1d(in,out,kernel[,dil=D])</c>,
/// <c>tanh</c>, <c>relu</c>, <c>sigmoid</c>. A size may be a symbol (e.g. H) bound by a sweep.</summary>
public sealed class ArchSpec
{
    public ArchSpec(string text, IReadOnlyList<Stage> stages)
    {
        Text = text;
        Stages = stages;
    }

    public string Text { get; }
    public IReadOnlyList<Stage> Stages { get; }
    public int InputChannels => Stages.First(s => !s.IsActivation).In;
    public int OutputChannels => Stages.Last(s => !s.IsActivation).Out;

    public override string ToString() => string.Join(">", Stages);

    /// <summary>Parse <paramref name="text"/>, substituting symbols from <paramref name="bindings"/>.</summary>
    public static ArchSpec Parse(string text, IReadOnlyDictionary<string, int>? bindings = null)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ModelException("empty architecture");
        var stages = new List<Stage>();
        foreach (var raw in text.Split('>'))
        {
            string s = raw.Trim();
            int open = s.IndexOf('(');
            string name = (open < 0 ? s : s[..open]).Trim().ToLowerInvariant();
            string[] args = [];
            if (open >= 0)
            {
                if (!s.EndsWith(')')) throw new ModelException($"architecture '{text}': stage '{s}' has no closing parenthesis");
                args = s[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
            }
            int Arg(int i, string what)
            {
                if (i >= args.Length) throw new ModelException($"architecture '{text}': {name} needs {what}");
                return Value(args[i], text, bindings);
            }
            stages.Add(name switch
            {
                "dense" => Expect(2) ? new Stage(StageKind.Dense, Arg(0, "in"), Arg(1, "out")) : null!,
                "gru" => Expect(2) ? new Stage(StageKind.Gru, Arg(0, "in"), Arg(1, "hidden")) : null!,
                "lstm" => Expect(2) ? new Stage(StageKind.Lstm, Arg(0, "in"), Arg(1, "hidden")) : null!,
                "conv1d" => ParseConv(),
                "tanh" or "relu" or "sigmoid" when args.Length == 0 => new Stage(Enum.Parse<StageKind>(name, ignoreCase: true)),
                _ => throw new ModelException($"architecture '{text}': unknown stage '{s}' (dense, gru, lstm, conv1d, tanh, relu, sigmoid)"),
            });

            bool Expect(int n) => args.Length == n ? true
                : throw new ModelException($"architecture '{text}': {name} takes {n} sizes, got '{s}'");

            Stage ParseConv()
            {
                if (args.Length is < 3 or > 4) throw new ModelException($"architecture '{text}': conv1d(in,out,kernel[,dil=D]), got '{s}'");
                int dil = 1;
                if (args.Length == 4)
                {
                    string a = args[3];
                    if (a.StartsWith("dil=", StringComparison.OrdinalIgnoreCase)) a = a[4..];
                    dil = Value(a, text, bindings);
                }
                return new Stage(StageKind.Conv1d, Arg(0, "in"), Arg(1, "out"), Arg(2, "kernel"), dil);
            }
        }
        // Sizes must chain.
        int? width = null;
        foreach (var st in stages)
        {
            if (st.IsActivation) continue;
            if (st.In < 1 || st.Out < 1 || st.Kernel < 1 || st.Dilation < 1)
                throw new ModelException($"architecture '{text}': sizes must be ≥ 1 in {st}");
            if (width is int w && w != st.In)
                throw new ModelException($"architecture '{text}': {st} takes {st.In} inputs but the previous stage gives {w}");
            width = st.Out;
        }
        if (width is null) throw new ModelException($"architecture '{text}': no layer (only activations)");
        return new ArchSpec(text, stages);
    }

    private static int Value(string token, string text, IReadOnlyDictionary<string, int>? bindings)
    {
        if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) return v;
        if (bindings is not null && bindings.TryGetValue(token, out int b)) return b;
        throw new ModelException($"architecture '{text}': '{token}' is neither a number nor a swept parameter");
    }
}
