using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Nam;

/// <summary>One NAM Conv1D's weights in PyTorch order: W [Cout, Cin/Groups, K] and optional bias.</summary>
internal sealed class NamConv
{
    public required int Cout { get; init; }
    public required int Cin { get; init; }
    public required int K { get; init; }
    public int Dilation { get; init; } = 1;
    public int Groups { get; init; } = 1;
    public required float[] W { get; init; }
    public float[]? B { get; init; }

    public static NamConv Read(NamWeights w, int cin, int cout, int k, int dilation, bool bias, int groups, string what)
    {
        if (cin < 1 || cout < 1 || k < 1 || dilation < 1 || groups < 1)
            throw new ModelException($"{what}: invalid conv ({cin}→{cout}, kernel {k}, dilation {dilation}, groups {groups})");
        if (cin % groups != 0 || cout % groups != 0)
            throw new ModelException($"{what}: channels {cin}→{cout} are not divisible by groups {groups}");
        var wt = w.Take(checked(cout * (cin / groups) * k), what + " weights");
        var b = bias ? w.Take(cout, what + " bias") : null;
        return new NamConv { Cout = cout, Cin = cin, K = k, Dilation = dilation, Groups = groups, W = wt, B = b };
    }

    /// <summary>Keep the first <paramref name="cout"/> rows and <paramref name="cin"/> input columns
    /// (all taps) and the first <paramref name="cout"/> bias entries (NAM slimming; groups 1 only).</summary>
    public NamConv Slice(int cout, int cin, string what)
    {
        if (cout == Cout && cin == Cin) return this;
        if (Groups != 1) throw new ModelException($"{what}: slimming supports groups = 1 only");
        if (cout > Cout || cin > Cin || cout < 1 || cin < 1) throw new ModelException($"{what}: cannot slice {Cin}→{Cout} to {cin}→{cout}");
        var w = new float[cout * cin * K];
        for (int o = 0; o < cout; o++)
            for (int j = 0; j < cin; j++)
                for (int k = 0; k < K; k++)
                    w[(o * cin + j) * K + k] = W[(o * Cin + j) * K + k];
        return new NamConv { Cout = cout, Cin = cin, K = K, Dilation = Dilation, Groups = 1, W = w, B = B?[..cout] };
    }

    public NamConv Scaled(float s) => new()
    {
        Cout = Cout, Cin = Cin, K = K, Dilation = Dilation, Groups = Groups,
        W = W.Select(v => v * s).ToArray(), B = B?.Select(v => v * s).ToArray(),
    };

    public int[] Shape => [Cout, Cin / Groups, K];
}
