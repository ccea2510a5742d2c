using System.Security.Cryptography;
using System.Text;
using EdgeRuntime.Execution;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Planning;

/// <summary>Writes a <see cref="Plan"/> as a <c>.edge</c> file (see <see cref="PlanFormat"/>).</summary>
public static class PlanWriter
{
    /// <summary>ISA features the plan's kernels use on this machine: builds a session and reads the
    /// kernel names (e.g. "gemm.avx2" → avx2). Empty = portable.</summary>
    public static List<string> InferRequiredIsa(Plan plan)
    {
        using var s = new Session(plan);
        return IsaFeatures.FromKernelNames(s.Kernels.Select(k => k.KernelName));
    }

    /// <param name="requiredIsa">Features to record; null = <see cref="Plan.RequiredIsa"/> when set,
    /// else inferred with <see cref="InferRequiredIsa"/>.</param>
    public static void Write(Plan plan, string path, IReadOnlyList<string>? requiredIsa = null)
    {
        var bytes = ToBytes(plan, requiredIsa);
        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    public static byte[] ToBytes(Plan plan, IReadOnlyList<string>? requiredIsa = null)
    {
        requiredIsa ??= plan.RequiredIsa.Count > 0 ? plan.RequiredIsa : InferRequiredIsa(plan);
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            Str(w, $"edgert {typeof(PlanWriter).Assembly.GetName().Version}");
            StrList(w, requiredIsa);
            w.Write(plan.ArenaBytes);
            w.Write(plan.ArenaLowerBoundBytes);
            w.Write(plan.PersistentTotalBytes);
            w.Write(plan.WeightsBytes);
            Str(w, plan.PlannerName);
            WriteGraph(w, plan.Graph);
            var offsets = plan.ActivationOffsets.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            w.Write(offsets.Count);
            foreach (var (name, off) in offsets) { Str(w, name); w.Write(off); }
        }
        var bodyBytes = body.ToArray();
        var file = new byte[PlanFormat.HeaderBytes + bodyBytes.Length];
        PlanFormat.Magic.CopyTo(file);
        BitConverter.TryWriteBytes(file.AsSpan(8), PlanFormat.Version);
        BitConverter.TryWriteBytes(file.AsSpan(12), 0u);
        BitConverter.TryWriteBytes(file.AsSpan(16), (ulong)bodyBytes.Length);
        SHA256.HashData(bodyBytes, file.AsSpan(24, 32));
        bodyBytes.CopyTo(file, PlanFormat.HeaderBytes);
        return file;
    }

    private static void WriteGraph(BinaryWriter w, Graph g)
    {
        Str(w, g.Name);
        Str(w, g.Source);
        Str(w, g.Format);
        w.Write(g.Opset);
        w.Write(g.Streaming);
        w.Write(g.MaxFrames);
        w.Write(g.SampleRate.HasValue);
        w.Write(g.SampleRate ?? 0.0);
        w.Write(g.Metadata.Count);
        foreach (var (k, v) in g.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { Str(w, k); Str(w, v); }
        w.Write(g.Tensors.Count);
        // Enumeration order, not sorted: the memory planner breaks size ties by this order, and the
        // reader rebuilds the plan from the same order so the offsets reproduce exactly.
        foreach (var t in g.Tensors.Values) WriteTensor(w, t);
        StrList(w, g.Inputs);
        StrList(w, g.Outputs);
        w.Write(g.Nodes.Count);
        foreach (var n in g.Nodes)
        {
            Str(w, n.OpType);
            Str(w, n.Name);
            Str(w, n.Domain);
            StrList(w, n.Inputs);
            StrList(w, n.Outputs);
            w.Write(n.Attributes.Count);
            foreach (var (name, a) in n.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                Str(w, name);
                w.Write((byte)a.Kind);
                switch (a.Kind)
                {
                    case AttributeKind.Float: w.Write(a.F); break;
                    case AttributeKind.Int: w.Write(a.I); break;
                    case AttributeKind.String: Str(w, a.S); break;
                    case AttributeKind.Tensor:
                        if (a.T is null) throw new ModelException($"{n.Describe()}: tensor attribute '{name}' has no value");
                        WriteTensor(w, a.T);
                        break;
                    case AttributeKind.Floats: w.Write(a.Floats.Length); foreach (var f in a.Floats) w.Write(f); break;
                    case AttributeKind.Ints: w.Write(a.Ints.Length); foreach (var i in a.Ints) w.Write(i); break;
                    case AttributeKind.Strings: StrList(w, a.Strings); break;
                    default: throw new ModelException($"{n.Describe()}: attribute '{name}' of kind {a.Kind} cannot be stored in a plan");
                }
            }
        }
    }

    private static void WriteTensor(BinaryWriter w, Tensor t)
    {
        Str(w, t.Name);
        w.Write((int)t.Type);
        w.Write(t.Shape.Length);
        foreach (int d in t.Shape) w.Write(d);
        w.Write(t.Layout is not null);
        if (t.Layout is not null) Str(w, t.Layout);
        w.Write(t.Quant is not null);
        if (t.Quant is { } q)
        {
            w.Write(q.Scales.Length); foreach (var s in q.Scales) w.Write(s);
            w.Write(q.ZeroPoints.Length); foreach (var z in q.ZeroPoints) w.Write(z);
            w.Write(q.Axis);
        }
        w.Write(t.Constant is not null);
        if (t.Constant is { } c) { w.Write((long)c.Length); w.Write(c); }
    }

    private static void Str(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write(b.Length);
        w.Write(b);
    }

    private static void StrList(BinaryWriter w, IReadOnlyList<string> list)
    {
        w.Write(list.Count);
        foreach (var s in list) Str(w, s);
    }
}
