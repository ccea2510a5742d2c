using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Nam;

/// <summary>Neural Amp Modeler <c>.nam</c> files → streaming graphs (time-major [T, C], input "x",
/// MaxFrames from the options). WaveNet, LSTM, ConvNet, Linear and SlimmableContainer, format as in
/// peers/nam.md §1. Metadata keys: nam.version, nam.architecture, nam.prewarm_samples, nam.loudness,
/// nam.input_level_dbu, nam.output_level_dbu, nam.name, nam.gear_* (as present). The runtime applies
/// no gain: the levels are the host's to use.</summary>
public static partial class NamImporter
{
    public const string PrewarmKey = "nam.prewarm_samples";

    public static Graph Load(string path, NamImportOptions? options = null)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: file not found");
        return Parse(File.ReadAllText(path), path, options);
    }

    public static Graph Parse(string json, string source, NamImportOptions? options = null)
    {
        options ??= new NamImportOptions();
        if (options.MaxFrames < 1) throw new ModelException($"{source}: frames per call must be ≥ 1");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { throw new ModelException($"{source}: not a valid .nam file (JSON error: {e.Message})", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ModelException($"{source}: not a valid .nam file (the top level must be an object)");
            var g = new Graph
            {
                Name = Path.GetFileNameWithoutExtension(source),
                Source = source,
                Format = "nam",
                Streaming = true,
                MaxFrames = options.MaxFrames,
            };
            var gb = new NamGraphBuilder(g, options);
            var selected = Select(root, options, source, out string arch);
            int inChannels = InputChannels(selected, source);
            g.Add(new Tensor("x", DataType.Float32, [options.MaxFrames, inChannels]));
            g.Inputs.Add("x");
            var built = BuildModel(gb, root, "x", inChannels, "", source);
            g.Outputs.Add(built.Output);
            var rate = NamJson.Opt(root, "sample_rate");
            if (rate is { } r) g.SampleRate = NamJson.Num(r, source + ".sample_rate");
            g.Metadata["nam.version"] = NamJson.Str(root, "version", source);
            g.Metadata["nam.architecture"] = NamJson.Str(root, "architecture", source);
            if (arch != g.Metadata["nam.architecture"]) g.Metadata["nam.selected_architecture"] = arch;
            g.Metadata[PrewarmKey] = built.PrewarmSamples.ToString(CultureInfo.InvariantCulture);
            g.Metadata["nam.sample_rate"] = g.SampleRate is double sr ? NamJson.Inv(sr) : "unknown";
            if (NamJson.Opt(root, "metadata") is { ValueKind: JsonValueKind.Object } md)
            {
                foreach (var p in md.EnumerateObject())
                {
                    string? v = p.Value.ValueKind switch
                    {
                        JsonValueKind.Number => NamJson.Inv(p.Value.GetDouble()),
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => null,
                    };
                    if (v is not null) g.Metadata["nam." + p.Name] = v;
                }
            }
            return g;
        }
    }

    /// <summary>The prewarm sample count the core would use (GetPrewarmSamples; for a slimmable
    /// WaveNet, that of the inner model its Reset prewarms).</summary>
    public static int PrewarmSamples(Graph graph) =>
        graph.Metadata.TryGetValue(PrewarmKey, out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : 0;

    private static readonly Regex s_version = new(@"^(\d+)\.(\d+)\.(\d+)$", RegexOptions.CultureInvariant);

    /// <summary>Core 0.5.5 rules: 0.5.0 … 0.7.x; a 0.7 patch above 0 is "partial" (accepted, recorded).</summary>
    internal static void CheckVersion(JsonElement model, string where, Graph graph)
    {
        string v = NamJson.Str(model, "version", where);
        var m = s_version.Match(v);
        if (!m.Success) throw new ModelException($"{where}: version '{v}' is not of the form X.Y.Z");
        int major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int minor = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        int patch = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (major != 0 || minor < 5 || minor > 7)
            throw new ModelException($"{where}: unsupported .nam version {v} (supported: 0.5.0 to 0.7.x)");
        if (minor == 7 && patch > 0) graph.Metadata["nam.version_warning"] = $"version {v} is newer than 0.7.0; loaded as partially supported";
    }

    private static JsonElement Select(JsonElement model, NamImportOptions o, string where, out string arch)
    {
        arch = NamJson.Str(model, "architecture", where);
        if (arch != "SlimmableContainer") return model;
        var subs = NamJson.Req(NamJson.Req(model, "config", where), "submodels", where + ".config");
        if (subs.ValueKind != JsonValueKind.Array || subs.GetArrayLength() == 0)
            throw new ModelException($"{where}.config.submodels: expected a non-empty array");
        var list = subs.EnumerateArray().ToList();
        double prev = double.NegativeInfinity;
        for (int i = 0; i < list.Count; i++)
        {
            double mv = NamJson.Num(NamJson.Req(list[i], "max_value", $"{where}.config.submodels[{i}]"), $"{where}.config.submodels[{i}].max_value");
            if (!(mv > prev)) throw new ModelException($"{where}.config.submodels: max_value must be strictly ascending");
            prev = mv;
        }
        if (prev < 1.0) throw new ModelException($"{where}.config.submodels: the last max_value must be ≥ 1.0");
        int pick = list.Count - 1;
        if (o.SlimmableSize is double v)
            for (int i = 0; i < list.Count; i++)
                if (v < NamJson.Num(list[i].GetProperty("max_value"), where)) { pick = i; break; }
        var sub = NamJson.Req(list[pick], "model", $"{where}.config.submodels[{pick}]");
        return Select(sub, o, $"{where}.config.submodels[{pick}].model", out arch);
    }

    private static int InputChannels(JsonElement model, string where)
    {
        string arch = NamJson.Str(model, "architecture", where);
        var cfg = NamJson.Req(model, "config", where);
        return arch switch
        {
            "LSTM" => NamJson.Int(cfg, "input_size", where + ".config"),
            _ => NamJson.Int(cfg, "in_channels", where + ".config", 1),
        };
    }

    internal static NamBuilt BuildModel(NamGraphBuilder gb, JsonElement model, string input, int inChannels, string prefix, string where)
    {
        if (model.ValueKind != JsonValueKind.Object) throw new ModelException($"{where}: expected a model object");
        CheckVersion(model, where, gb.Graph);
        string arch = NamJson.Str(model, "architecture", where);
        switch (arch)
        {
            case "WaveNet":
                if (NamJson.Int(NamJson.Req(model, "config", where), "in_channels", where + ".config", 1) != inChannels)
                    throw new ModelException($"{where}.config.in_channels: does not match the input's {inChannels} channels");
                return NamWaveNet.Build(gb, model, input, inChannels, prefix, where);
            case "LSTM": return NamOtherArchitectures.Lstm(gb, model, input, inChannels, prefix, where);
            case "ConvNet": return NamOtherArchitectures.ConvNet(gb, model, input, inChannels, prefix, where);
            case "Linear": return NamOtherArchitectures.Linear(gb, model, input, inChannels, prefix, where);
            case "SlimmableContainer":
            {
                var sel = Select(model, gb.Options, where, out _);
                // Select recursed to a leaf; build it (with its own version check).
                return BuildModel(gb, sel, input, inChannels, prefix, where + " (selected submodel)");
            }
            default:
                throw new ModelException($"{where}: unsupported architecture '{arch}' (supported: WaveNet, LSTM, ConvNet, Linear, SlimmableContainer)");
        }
    }
}
