using System.Globalization;
using System.Security;
using System.Text;

namespace EdgeRuntime.Bench;

/// <summary>A small self-contained SVG line plot of real-time factor (log scale) against a swept
/// size, with the 1x / 10x / 100x real-time lines marked.</summary>
public static class SvgPlot
{
    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

    public static string RtfPlot(string title, string xLabel, IReadOnlyList<Series> series)
    {
        var ci = CultureInfo.InvariantCulture;
        const double W = 720, H = 440, L = 70, R = 150, T = 40, B = 56;
        var pts = series.SelectMany(s => s.Points).Where(p => p.Y > 0 && double.IsFinite(p.Y)).ToList();
        if (pts.Count == 0) throw new Ir.ModelException("nothing to plot");
        double xMin = pts.Min(p => p.X), xMax = pts.Max(p => p.X);
        if (xMax == xMin) { xMin -= 1; xMax += 1; }
        double yLo = Math.Floor(Math.Log10(Math.Min(pts.Min(p => p.Y), 0.5)));
        double yHi = Math.Ceiling(Math.Log10(Math.Max(pts.Max(p => p.Y), 200)));
        double X(double x) => L + (x - xMin) / (xMax - xMin) * (W - L - R);
        double Y(double y) => T + (yHi - Math.Log10(y)) / (yHi - yLo) * (H - T - B);
        var sb = new StringBuilder();
        sb.Append(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.Append(ci, $"<text x=\"{W / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{SecurityElement.Escape(title)}</text>\n");
        // Axes and decade grid.
        for (double d = yLo; d <= yHi; d++)
        {
            double y = Y(Math.Pow(10, d));
            sb.Append(ci, $"<line x1=\"{L}\" y1=\"{y:F1}\" x2=\"{W - R}\" y2=\"{y:F1}\" stroke=\"#e4e4e4\"/>\n");
            sb.Append(ci, $"<text x=\"{L - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Math.Pow(10, d).ToString("G", ci)}</text>\n");
        }
        foreach (double x in Ticks(xMin, xMax))
        {
            sb.Append(ci, $"<line x1=\"{X(x):F1}\" y1=\"{H - B}\" x2=\"{X(x):F1}\" y2=\"{H - B + 5}\" stroke=\"black\"/>\n");
            sb.Append(ci, $"<text x=\"{X(x):F1}\" y=\"{H - B + 18}\" text-anchor=\"middle\">{x.ToString("G4", ci)}</text>\n");
        }
        sb.Append(ci, $"<line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        sb.Append(ci, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        sb.Append(ci, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 14}\" text-anchor=\"middle\">{SecurityElement.Escape(xLabel)}</text>\n");
        sb.Append(ci, $"<text transform=\"translate(18,{(T + H - B) / 2}) rotate(-90)\" text-anchor=\"middle\">real-time factor (log scale)</text>\n");
        // Real-time lines.
        foreach (var (v, label) in new[] { (1.0, "1x real time"), (10.0, "10x"), (100.0, "100x") })
        {
            if (Math.Log10(v) < yLo || Math.Log10(v) > yHi) continue;
            double y = Y(v);
            sb.Append(ci, $"<line x1=\"{L}\" y1=\"{y:F1}\" x2=\"{W - R}\" y2=\"{y:F1}\" stroke=\"{(v == 1 ? "#d62728" : "#ff9896")}\" stroke-width=\"{(v == 1 ? 2 : 1.2)}\" stroke-dasharray=\"6 4\"/>\n");
            sb.Append(ci, $"<text x=\"{W - R + 6}\" y=\"{y + 4:F1}\" fill=\"#d62728\">{label}</text>\n");
        }
        // Series.
        int row = 0;
        foreach (var s in series)
        {
            var p = s.Points.Where(q => q.Y > 0 && double.IsFinite(q.Y)).OrderBy(q => q.X).ToList();
            if (p.Count == 0) continue;
            string path = string.Join(" ", p.Select((q, i) => $"{(i == 0 ? "M" : "L")}{X(q.X).ToString("F1", ci)},{Y(q.Y).ToString("F1", ci)}"));
            sb.Append(ci, $"<path d=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"4 3\"" : "")}/>\n");
            foreach (var q in p)
                sb.Append(ci, $"<circle cx=\"{X(q.X):F1}\" cy=\"{Y(q.Y):F1}\" r=\"3.5\" fill=\"{s.Color}\"/>\n");
            double ly = T + 14 + 18 * row++;
            sb.Append(ci, $"<line x1=\"{W - R + 6}\" y1=\"{ly - 4}\" x2=\"{W - R + 26}\" y2=\"{ly - 4}\" stroke=\"{s.Color}\" stroke-width=\"2\"/>\n");
            sb.Append(ci, $"<text x=\"{W - R + 30}\" y=\"{ly}\">{SecurityElement.Escape(s.Name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        double span = hi - lo;
        double step = Math.Pow(10, Math.Floor(Math.Log10(span / 5)));
        if (span / step > 10) step *= 2;
        if (span / step > 10) step *= 2.5;
        for (double x = Math.Ceiling(lo / step) * step; x <= hi + 1e-9; x += step) yield return x;
    }
}
