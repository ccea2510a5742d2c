namespace EdgeRuntime.Kernels.Activations;

/// <summary>Reference activations, computed in double precision and rounded once to float.</summary>
public static class ActivationsReference
{
    public static float Apply(ActivationKind kind, float xf, float alpha = 0f)
    {
        double x = xf;
        return kind switch
        {
            ActivationKind.Relu => xf > 0 ? xf : 0f,
            ActivationKind.Relu6 => xf < 0 ? 0f : xf > 6 ? 6f : xf,
            ActivationKind.LeakyRelu => xf < 0 ? xf * alpha : xf,
            ActivationKind.Tanh => (float)Math.Tanh(x),
            ActivationKind.Sigmoid => (float)(1.0 / (1.0 + Math.Exp(-x))),
            ActivationKind.Exp => (float)Math.Exp(x),
            ActivationKind.Elu => xf > 0 ? xf : (float)(alpha * Expm1(x)),
            ActivationKind.Gelu => (float)(0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0)))),
            _ => (float)(0.5 * x * (1.0 + Math.Tanh(Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)))),
        };
    }

    /// <summary>e^x − 1 in double without cancellation near 0.</summary>
    public static double Expm1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1.0;

    public static void Run(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha = 0f)
    {
        for (int i = 0; i < x.Length; i++) y[i] = Apply(kind, x[i], alpha);
    }

    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float v in x) max = Math.Max(max, v);
        for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - max);
        for (int i = 0; i < x.Length; i++) y[i] = (float)(Math.Exp(x[i] - max) / sum);
    }

    /// <summary>erf in double: Maclaurin series for |x| &lt; 3 (error &lt; 1e-14), continued fraction of erfc beyond.</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 3)
        {
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 200; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz-free backward evaluation)
        double f = 0;
        for (int k = 60; k >= 1; k--) f = (k / 2.0) / (ax + f);
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f);
        return x > 0 ? 1 - erfc : erfc - 1;
    }
}
