namespace EdgeRuntime.Bench;

/// <summary>Non-negative least squares, min ‖A·x − b‖² subject to x ≥ 0, by the Lawson–Hanson
/// active-set method. Small problems only (a handful of columns).</summary>
public static class Nnls
{
    public static double[] Solve(double[][] a, double[] b, int maxIterations = 500)
    {
        int m = a.Length, n = a[0].Length;
        var x = new double[n];
        var passive = new bool[n];
        for (int iter = 0; iter < maxIterations; iter++)
        {
            var w = Gradient(a, b, x);
            int best = -1;
            double bestW = 1e-12 * Scale(a, b);
            for (int j = 0; j < n; j++)
                if (!passive[j] && w[j] > bestW) { bestW = w[j]; best = j; }
            if (best < 0) break;
            passive[best] = true;
            while (true)
            {
                var z = SolvePassive(a, b, passive);
                bool feasible = true;
                for (int j = 0; j < n; j++) if (passive[j] && z[j] <= 0) feasible = false;
                if (feasible) { x = z; break; }
                double alpha = double.MaxValue;
                for (int j = 0; j < n; j++)
                    if (passive[j] && z[j] <= 0) alpha = Math.Min(alpha, x[j] / (x[j] - z[j]));
                for (int j = 0; j < n; j++) x[j] += alpha * (z[j] - x[j]);
                for (int j = 0; j < n; j++)
                    if (passive[j] && x[j] <= 1e-15) { passive[j] = false; x[j] = 0; }
                if (!passive.Any(p => p)) break;
            }
        }
        return x;
    }

    private static double Scale(double[][] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s = Math.Max(s, Math.Abs(b[i]) * a[i].Max(Math.Abs));
        return Math.Max(s, 1e-300);
    }

    private static double[] Gradient(double[][] a, double[] b, double[] x)
    {
        int n = x.Length;
        var w = new double[n];
        for (int i = 0; i < a.Length; i++)
        {
            double r = b[i];
            for (int j = 0; j < n; j++) r -= a[i][j] * x[j];
            for (int j = 0; j < n; j++) w[j] += a[i][j] * r;
        }
        return w;
    }

    /// <summary>Unconstrained least squares on the passive columns (normal equations, Cholesky with
    /// a tiny ridge for conditioning); zeros elsewhere.</summary>
    private static double[] SolvePassive(double[][] a, double[] b, bool[] passive)
    {
        int n = passive.Length;
        var idx = Enumerable.Range(0, n).Where(j => passive[j]).ToArray();
        int k = idx.Length;
        var ata = new double[k, k];
        var atb = new double[k];
        for (int i = 0; i < a.Length; i++)
            for (int p = 0; p < k; p++)
            {
                atb[p] += a[i][idx[p]] * b[i];
                for (int q = 0; q < k; q++) ata[p, q] += a[i][idx[p]] * a[i][idx[q]];
            }
        double trace = 0;
        for (int p = 0; p < k; p++) trace += ata[p, p];
        for (int p = 0; p < k; p++) ata[p, p] += 1e-12 * trace / Math.Max(k, 1);
        // Cholesky.
        var l = new double[k, k];
        for (int p = 0; p < k; p++)
            for (int q = 0; q <= p; q++)
            {
                double s = ata[p, q];
                for (int r = 0; r < q; r++) s -= l[p, r] * l[q, r];
                l[p, q] = p == q ? Math.Sqrt(Math.Max(s, 1e-300)) : s / l[q, q];
            }
        var y = new double[k];
        for (int p = 0; p < k; p++)
        {
            double s = atb[p];
            for (int r = 0; r < p; r++) s -= l[p, r] * y[r];
            y[p] = s / l[p, p];
        }
        var z = new double[k];
        for (int p = k - 1; p >= 0; p--)
        {
            double s = y[p];
            for (int r = p + 1; r < k; r++) s -= l[r, p] * z[r];
            z[p] = s / l[p, p];
        }
        var full = new double[n];
        for (int p = 0; p < k; p++) full[idx[p]] = z[p];
        return full;
    }
}
