namespace EdgeRuntime.Kernels.Recurrent;

/// <summary>Scalar references for <see cref="GruCell"/>, <see cref="LstmCell"/> and <see cref="FrameDense"/>: the
/// textbook formulas in double precision with exact tanh and sigmoid, results rounded to float once per step (the
/// state is carried in float, as the kernels carry it).</summary>
public static unsafe class FrameReference
{
    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>ONNX GRU, linear_before_reset = 1, gates z, r, n; h (Hidden floats) in/out; y [frames, H] or null.</summary>
    public static void Gru(int inputs, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb,
        int frames, ReadOnlySpan<float> x, Span<float> h, Span<float> y)
    {
        int H = hidden, I = inputs;
        var hn = new float[H];
        for (int t = 0; t < frames; t++)
        {
            double G(ReadOnlySpan<float> m, int cols, ReadOnlySpan<float> v, int row)
            {
                double s = 0;
                for (int k = 0; k < cols; k++) s += (double)m[row * cols + k] * v[k];
                return s;
            }
            double B(ReadOnlySpan<float> b, int i) => b.IsEmpty ? 0 : b[i];
            var xt = x.Slice(t * I, I);
            for (int j = 0; j < H; j++)
            {
                double z = Sigmoid(G(w, I, xt, j) + G(r, H, h, j) + B(wb, j) + B(rb, j));
                double rg = Sigmoid(G(w, I, xt, H + j) + G(r, H, h, H + j) + B(wb, H + j) + B(rb, H + j));
                double n = Math.Tanh(G(w, I, xt, 2 * H + j) + B(wb, 2 * H + j) + rg * (G(r, H, h, 2 * H + j) + B(rb, 2 * H + j)));
                hn[j] = (float)(n + z * (h[j] - n));
            }
            hn.CopyTo(h);
            if (!y.IsEmpty) hn.CopyTo(y.Slice(t * H, H));
        }
    }

    /// <summary>ONNX LSTM, gates i, o, f, c, no peepholes; h and c (Hidden floats) in/out; y [frames, H] or empty.</summary>
    public static void Lstm(int inputs, int hidden, ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> wb, ReadOnlySpan<float> rb,
        int frames, ReadOnlySpan<float> x, Span<float> h, Span<float> c, Span<float> y)
    {
        int H = hidden, I = inputs;
        var hn = new float[H];
        for (int t = 0; t < frames; t++)
        {
            var xt = x.Slice(t * I, I);
            for (int j = 0; j < H; j++)
            {
                var a = new double[4];
                for (int g = 0; g < 4; g++)
                {
                    int row = g * H + j;
                    double s = (wb.IsEmpty ? 0 : wb[row]) + (rb.IsEmpty ? 0 : rb[row]);
                    for (int k = 0; k < I; k++) s += (double)w[row * I + k] * xt[k];
                    for (int k = 0; k < H; k++) s += (double)r[row * H + k] * h[k];
                    a[g] = s;
                }
                double cn = Sigmoid(a[2]) * c[j] + Sigmoid(a[0]) * Math.Tanh(a[3]);
                c[j] = (float)cn;
                hn[j] = (float)(Sigmoid(a[1]) * Math.Tanh(cn));
            }
            hn.CopyTo(h);
            if (!y.IsEmpty) hn.CopyTo(y.Slice(t * H, H));
        }
    }

    /// <summary><see cref="FrameDense.Run"/>'s contract: W [taps][inputs][outputs], activation "tanh", "sigmoid",
    /// "relu" or null.</summary>
    public static void Dense(int inputs, int outputs, int taps, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, string? activation,
        int frames, float* x, int ldx, long tapStride, float* y, int ldy)
    {
        for (int t = 0; t < frames; t++)
            for (int o = 0; o < outputs; o++)
            {
                double s = bias.IsEmpty ? 0 : bias[o];
                for (int j = 0; j < taps; j++)
                {
                    float* xr = x + (long)t * ldx + j * tapStride;
                    for (int i = 0; i < inputs; i++) s += (double)xr[i] * w[(j * inputs + i) * outputs + o];
                }
                y[(long)t * ldy + o] = (float)(activation switch
                {
                    "tanh" => Math.Tanh(s),
                    "sigmoid" => Sigmoid(s),
                    "relu" => Math.Max(s, 0),
                    _ => s,
                });
            }
    }
}
