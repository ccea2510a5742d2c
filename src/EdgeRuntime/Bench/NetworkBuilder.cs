using System.Text;
using System.Text.Json;

namespace EdgeRuntime.Bench;

/// <summary>Writes an architecture as an RTNeural (Keras-style) JSON model with deterministic
/// pseudo-random weights, so generated networks go through the same importer users' models do.</summary>
public static class NetworkBuilder
{
    public static string ToRtNeuralJson(ArchSpec arch, int seed = 1)
    {
        var rnd = new Random(seed);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("in_shape");
            w.WriteNullValue(); w.WriteNullValue(); w.WriteNumberValue(arch.InputChannels);
            w.WriteEndArray();
            w.WriteStartArray("layers");
            int width = arch.InputChannels;
            foreach (var s in arch.Stages)
            {
                w.WriteStartObject();
                switch (s.Kind)
                {
                    case StageKind.Dense:
                        Header(w, "dense", s.Out);
                        w.WriteStartArray("weights");
                        Matrix(w, rnd, s.In, s.Out, s.In);
                        Vector(w, rnd, s.Out, s.In);
                        w.WriteEndArray();
                        break;
                    case StageKind.Gru:
                        Header(w, "gru", s.Out);
                        w.WriteStartArray("weights");
                        Matrix(w, rnd, s.In, 3 * s.Out, s.In);
                        Matrix(w, rnd, s.Out, 3 * s.Out, s.Out);
                        Matrix(w, rnd, 2, 3 * s.Out, s.Out);
                        w.WriteEndArray();
                        break;
                    case StageKind.Lstm:
                        Header(w, "lstm", s.Out);
                        w.WriteStartArray("weights");
                        Matrix(w, rnd, s.In, 4 * s.Out, s.In);
                        Matrix(w, rnd, s.Out, 4 * s.Out, s.Out);
                        Vector(w, rnd, 4 * s.Out, s.Out);
                        w.WriteEndArray();
                        break;
                    case StageKind.Conv1d:
                        Header(w, "conv1d", s.Out);
                        w.WriteStartArray("kernel_size"); w.WriteNumberValue(s.Kernel); w.WriteEndArray();
                        w.WriteStartArray("dilation"); w.WriteNumberValue(s.Dilation); w.WriteEndArray();
                        w.WriteStartArray("weights");
                        w.WriteStartArray();
                        for (int k = 0; k < s.Kernel; k++) Matrix(w, rnd, s.In, s.Out, s.In * s.Kernel);
                        w.WriteEndArray();
                        Vector(w, rnd, s.Out, s.In * s.Kernel);
                        w.WriteEndArray();
                        break;
                    default:
                        w.WriteString("type", "activation");
                        w.WriteString("activation", s.Kind.ToString().ToLowerInvariant());
                        w.WriteStartArray("shape"); w.WriteNullValue(); w.WriteNullValue(); w.WriteNumberValue(width); w.WriteEndArray();
                        w.WriteStartArray("weights"); w.WriteEndArray();
                        break;
                }
                if (!s.IsActivation) width = s.Out;
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Header(Utf8JsonWriter w, string type, int width)
    {
        w.WriteString("type", type);
        w.WriteString("activation", "");
        w.WriteStartArray("shape"); w.WriteNullValue(); w.WriteNullValue(); w.WriteNumberValue(width); w.WriteEndArray();
    }

    private static void Matrix(Utf8JsonWriter w, Random rnd, int rows, int cols, int fanIn)
    {
        w.WriteStartArray();
        for (int r = 0; r < rows; r++) Vector(w, rnd, cols, fanIn);
        w.WriteEndArray();
    }

    private static void Vector(Utf8JsonWriter w, Random rnd, int n, int fanIn)
    {
        double bound = 1.0 / Math.Sqrt(Math.Max(fanIn, 1));
        w.WriteStartArray();
        for (int i = 0; i < n; i++) w.WriteNumberValue(Math.Round((rnd.NextDouble() * 2 - 1) * bound, 6));
        w.WriteEndArray();
    }
}
