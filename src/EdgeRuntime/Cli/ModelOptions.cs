using System.Globalization;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Cli;

/// <summary>Compile options shared by commands that take a model: <c>--shape NAME=d0,d1,...</c>
/// (repeatable), <c>--frames N</c>, <c>--keep TENSOR</c> (repeatable), <c>--no-optimize</c>.</summary>
public static class ModelOptions
{
    public const string Usage = "[--shape NAME=d0,d1,...] [--frames N] [--keep TENSOR] [--no-optimize]";

    public static CompileOptions Parse(Args args)
    {
        var o = new CompileOptions();
        foreach (var s in args.GetAll("shape"))
        {
            int eq = s.LastIndexOf('=');
            if (eq <= 0 || eq == s.Length - 1) throw new UsageException($"--shape expects NAME=d0,d1,..., got '{s}'");
            var dims = s[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries);
            var shape = new int[dims.Length];
            for (int i = 0; i < dims.Length; i++)
                if (!int.TryParse(dims[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 0)
                    throw new UsageException($"--shape {s}: '{dims[i]}' is not a dimension (a non-negative integer)");
            o.InputShapes[s[..eq]] = shape;
        }
        if (args.Get("frames") is not null) o.MaxFrames = args.GetInt("frames", 1);
        foreach (var k in args.GetAll("keep")) o.ExtraOutputs.Add(k);
        if (args.Flag("no-optimize")) o.Optimize = false;
        return o;
    }

    public static bool Any(CompileOptions o) =>
        o.InputShapes.Count > 0 || o.ExtraOutputs.Count > 0 || o.MaxFrames is not null || !o.Optimize;
}
