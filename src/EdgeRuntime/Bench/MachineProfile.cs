namespace EdgeRuntime.Bench;

/// <summary>A fitted machine profile (<c>edgert calibrate --json</c>): the cost in nanoseconds of one
/// operation of each kind (see <see cref="OpCounts.Features"/>), and how well the fit explains the
/// calibration measurements.</summary>
public sealed class MachineProfile
{
    public int SchemaVersion { get; set; } = 1;
    public string Timestamp { get; set; } = "";
    public MachineInfo Machine { get; set; } = new();
    public List<string> Features { get; set; } = new();
    public List<double> CostsNs { get; set; } = new();
    public FitQuality Fit { get; set; } = new();
    public List<CalibrationSample> Samples { get; set; } = new();

    public double PredictNsPerFrame(OpCounts c)
    {
        var v = c.Vector;
        if (v.Length != CostsNs.Count)
            throw new Ir.ModelException($"machine profile has {CostsNs.Count} costs, this build counts {v.Length} kinds; re-run edgert calibrate");
        double t = 0;
        for (int i = 0; i < v.Length; i++) t += v[i] * CostsNs[i];
        return t;
    }

    public static double Rtf(double nsPerFrame, double rateHz) => nsPerFrame > 0 ? 1e9 / (nsPerFrame * rateHz) : double.PositiveInfinity;
}

public sealed class FitQuality
{
    public int Networks { get; set; }
    public double R2 { get; set; }
    public double MedianAbsRelError { get; set; }
    public double MaxAbsRelError { get; set; }
}

public sealed class CalibrationSample
{
    public string Arch { get; set; } = "";
    public int Block { get; set; }
    public double MeasuredNsPerFrame { get; set; }
    public double PredictedNsPerFrame { get; set; }
}
