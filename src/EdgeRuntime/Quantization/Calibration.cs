using System.Runtime.InteropServices;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Quantization;

/// <summary>The fp32 model run on the calibration inputs: every watched tensor's values per input (the reference
/// the int8 model's SNR is measured against) and its range (min/max, or percentile over at most 2^20 values).</summary>
internal sealed class Calibration
{
    private readonly Dictionary<string, List<float>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float> _min = new(StringComparer.Ordinal), _max = new(StringComparer.Ordinal);
    private readonly CalibrationOptions _o;

    public List<float[]> Inputs { get; }
    /// <summary>Per calibration input: tensor → fp32 values.</summary>
    public List<Dictionary<string, float[]>> Reference { get; } = new();

    /// <param name="fp32">a graph with one float32 input (not modified: a clone is compiled).</param>
    public Calibration(Graph fp32, IEnumerable<string> watched, CalibrationOptions o)
    {
        _o = o;
        string input = fp32.Inputs[0];
        Inputs = CalibrationData.Load(o.Directory, fp32[input].ElementCount, o.MaxFiles);
        var names = watched.Where(n => n != input).Distinct().ToList();
        var keep = new CompileOptions();
        keep.ExtraOutputs.AddRange(names);
        using var s = new Session(Compiler.Compile(Quantizer.Clone(fp32), keep));
        foreach (var x in Inputs)
        {
            x.CopyTo(s.Input(0));
            s.Run();
            var snapshot = new Dictionary<string, float[]>(StringComparer.Ordinal) { [input] = x };
            foreach (var name in names) snapshot[name] = MemoryMarshal.Cast<byte, float>(s.TensorBytes(name)).ToArray();
            foreach (var (name, v) in snapshot)
            {
                if (!_values.TryGetValue(name, out var list)) { _values[name] = list = new(); _min[name] = float.MaxValue; _max[name] = float.MinValue; }
                foreach (var f in v) { _min[name] = Math.Min(_min[name], f); _max[name] = Math.Max(_max[name], f); }
                if (o.Method == RangeMethod.Percentile && list.Count < 1 << 20) list.AddRange(v);
            }
            Reference.Add(snapshot);
        }
    }

    public string MethodName => _o.Method == RangeMethod.MinMax ? "min/max" : $"percentile {_o.Percentile}";

    /// <summary>Asymmetric int8 parameters covering the tensor's range (always including 0).</summary>
    public QuantParams Range(string name)
    {
        float lo = _min[name], hi = _max[name];
        if (_o.Method == RangeMethod.Percentile)
        {
            var sorted = _values[name].ToArray();
            Array.Sort(sorted);
            int n = sorted.Length;
            lo = sorted[(int)Math.Clamp(Math.Floor((100 - _o.Percentile) / 100 * (n - 1)), 0, n - 1)];
            hi = sorted[(int)Math.Clamp(Math.Ceiling(_o.Percentile / 100 * (n - 1)), 0, n - 1)];
        }
        lo = Math.Min(lo, 0); hi = Math.Max(hi, 0);
        if (hi - lo < 1e-8f) hi = lo + 1e-8f;
        float scale = (hi - lo) / 255f;
        long zp = (long)Math.Clamp(Math.Round(-128 - lo / scale), -128, 127);
        return QuantParams.PerTensor(scale, zp);
    }

    /// <summary>Signal-to-noise ratio in dB accumulated over calibration inputs.</summary>
    public sealed class Snr
    {
        private double _signal, _noise;

        public void Add(ReadOnlySpan<float> reference, Func<int, double> value)
        {
            for (int e = 0; e < reference.Length; e++)
            {
                double d = reference[e] - value(e);
                _signal += (double)reference[e] * reference[e];
                _noise += d * d;
            }
        }

        public double Db => _noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(Math.Max(_signal, 1e-30) / _noise);
    }
}
