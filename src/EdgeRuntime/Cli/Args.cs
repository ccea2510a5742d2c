using System.Globalization;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Cli;

/// <summary>Minimal, allocation-light argument reader: positionals, <c>--flag</c>, <c>--key value</c>
/// and <c>--key=value</c>. Unknown options are reported by <see cref="EnsureAllUsed"/>.</summary>
public sealed class Args
{
    private readonly List<string> _positional = new();
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags;

    /// <param name="flags">Options that take no value (e.g. "json", "markdown").</param>
    public Args(IEnumerable<string> argv, IEnumerable<string>? flags = null)
    {
        _flags = new HashSet<string>(flags ?? [], StringComparer.Ordinal);
        var list = argv.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string key = a[2..];
                string? value = null;
                int eq = key.IndexOf('=');
                if (eq >= 0) { value = key[(eq + 1)..]; key = key[..eq]; }
                else if (i + 1 < list.Count && !(list[i + 1].StartsWith("--", StringComparison.Ordinal) && list[i + 1].Length > 2)
                         && (!_flags.Contains(key) || TakesOptionalFile(key, list[i + 1])))
                    value = list[++i];
                if (!_options.TryGetValue(key, out var vs)) _options[key] = vs = new();
                vs.Add(value ?? "");
            }
            else _positional.Add(a);
        }
    }

    /// <summary>A flag such as <c>--json</c> may also name a results file: <c>--json out.json</c>.</summary>
    private static bool TakesOptionalFile(string key, string next) =>
        key == "json" && (next.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || next.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<string> Positional => _positional;
    public string? Pos(int i) => i < _positional.Count ? _positional[i] : null;

    public bool Flag(string key) { _used.Add(key); return _options.ContainsKey(key); }

    public string? Get(string key)
    {
        _used.Add(key);
        return _options.TryGetValue(key, out var v) ? v[^1] : null;
    }

    public IReadOnlyList<string> GetAll(string key)
    {
        _used.Add(key);
        return _options.TryGetValue(key, out var v) ? v : [];
    }

    public string Get(string key, string dflt) => Get(key) ?? dflt;

    public int GetInt(string key, int dflt)
    {
        var s = Get(key);
        if (s is null) return dflt;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new UsageException($"--{key} expects an integer, got '{s}'");
    }

    public double GetDouble(string key, double dflt)
    {
        var s = Get(key);
        if (s is null) return dflt;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new UsageException($"--{key} expects a number, got '{s}'");
    }

    /// <summary>Throw if an option was given that the command never asked for.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}

/// <summary>Bad command line; printed with the command's usage.</summary>
public sealed class UsageException(string message) : ModelException(message);
