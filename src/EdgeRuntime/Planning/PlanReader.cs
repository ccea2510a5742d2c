using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators;

namespace EdgeRuntime.Planning;

/// <summary>Reads a <c>.edge</c> file written by <see cref="PlanWriter"/>. Refuses, with a
/// <see cref="ModelException"/> naming the file and the problem: a bad magic or version, a body whose
/// SHA-256 does not match, truncation, counts or lengths out of range, operators this build lacks,
/// a memory plan that does not reproduce, and ISA features this machine lacks.</summary>
public static class PlanReader
{
    /// <param name="checkIsa">false to inspect a plan built for another machine (e.g. <c>info</c>).</param>
    public static Plan Read(string path, bool checkIsa = true)
    {
        if (!File.Exists(path)) throw new ModelException($"{path}: file not found");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelException($"{path}: cannot read plan ({e.Message})", e);
        }
        return Read(bytes, path, checkIsa);
    }

    public static Plan Read(ReadOnlySpan<byte> file, string path, bool checkIsa = true)
    {
        if (file.Length < PlanFormat.HeaderBytes)
            throw new ModelException($"{path}: not an EdgeRuntime plan (file is {file.Length} bytes, shorter than the {PlanFormat.HeaderBytes}-byte header)");
        if (!file[..8].SequenceEqual(PlanFormat.Magic))
            throw new ModelException($"{path}: not an EdgeRuntime plan (bad magic; expected \"EDGEPLAN\")");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        if (version != PlanFormat.Version)
            throw new ModelException($"{path}: plan format version {version} is not supported by this edgert (it reads version {PlanFormat.Version}); recompile the model");
        ulong bodyBytes = BinaryPrimitives.ReadUInt64LittleEndian(file[16..]);
        long actual = file.Length - PlanFormat.HeaderBytes;
        if (bodyBytes != (ulong)actual)
            throw new ModelException(bodyBytes > (ulong)actual
                ? $"{path}: plan is truncated (header says {bodyBytes} body bytes, file has {actual})"
                : $"{path}: plan has {actual - (long)bodyBytes} unexpected trailing bytes");
        var body = file[PlanFormat.HeaderBytes..];
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(file.Slice(24, 32)))
            throw new ModelException($"{path}: plan is corrupt (content hash mismatch)");

        var r = new Cursor(body, path);
        Plan stored;
        try
        {
            stored = ReadBody(ref r, path);
        }
        catch (ModelException) { throw; }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or KeyNotFoundException or NotSupportedException or IndexOutOfRangeException)
        {
            throw new ModelException($"{path}: plan is corrupt ({e.Message})", e);
        }
        if (checkIsa)
        {
            var missing = IsaFeatures.Missing(stored.RequiredIsa);
            if (missing.Count > 0)
                throw new ModelException($"{path}: plan needs {string.Join(", ", missing)}; this machine has: {IsaFeatures.Describe(IsaFeatures.Current())}. Recompile the model on this machine (edgert compile) or with --isa portable");
        }
        return stored;
    }

    private static Plan ReadBody(ref Cursor r, string path)
    {
        r.String("generator");
        var isa = r.StringList("required ISA features");
        long arena = r.NonNegativeInt64("arena bytes");
        long lower = r.NonNegativeInt64("arena lower bound");
        long persistent = r.NonNegativeInt64("persistent bytes");
        long weights = r.NonNegativeInt64("weights bytes");
        string planner = r.String("planner");
        var g = ReadGraph(ref r, path);
        int nOffsets = r.Count("activation offsets");
        var offsets = new Dictionary<string, long>(nOffsets, StringComparer.Ordinal);
        for (int i = 0; i < nOffsets; i++)
        {
            string name = r.String("activation offset name");
            offsets[name] = r.NonNegativeInt64($"offset of '{name}'");
        }
        if (!r.AtEnd) throw new ModelException($"{path}: plan is corrupt ({r.Remaining} unread bytes at the end of the body)");

        var unsupported = OperatorRegistry.Unsupported(g);
        if (unsupported.Count > 0) throw new UnsupportedOperatorException(unsupported, path);

        IArenaPlanner arenaPlanner = planner switch
        {
            "greedy-by-size" => new GreedyBySizePlanner(),
            "linear" => new LinearPlanner(),
            _ => throw new ModelException($"{path}: plan was made with an unknown arena planner '{planner}'"),
        };
        Plan plan;
        try
        {
            plan = MemoryPlanner.Build(g, arenaPlanner);
        }
        catch (ModelException e)
        {
            throw new ModelException($"{path}: plan cannot be instantiated: {e.Message}", e);
        }
        if (plan.ArenaBytes != arena || plan.WeightsBytes != weights || plan.PersistentTotalBytes != persistent || plan.ArenaLowerBoundBytes != lower)
            throw new ModelException($"{path}: plan's memory layout does not reproduce with this edgert (stored arena/weights/persistent {arena}/{weights}/{persistent} bytes, rebuilt {plan.ArenaBytes}/{plan.WeightsBytes}/{plan.PersistentTotalBytes}); recompile the model");
        foreach (var (name, off) in offsets)
            if (!plan.ActivationOffsets.TryGetValue(name, out long o) || o != off)
                throw new ModelException($"{path}: plan's arena offset of '{name}' does not reproduce; recompile the model");
        return new Plan
        {
            Graph = plan.Graph,
            ActivationOffsets = plan.ActivationOffsets,
            WeightOffsets = plan.WeightOffsets,
            ScratchOffsets = plan.ScratchOffsets,
            ScratchBytes = plan.ScratchBytes,
            PersistentOffsets = plan.PersistentOffsets,
            PersistentBytes = plan.PersistentBytes,
            ArenaBytes = plan.ArenaBytes,
            ArenaLowerBoundBytes = plan.ArenaLowerBoundBytes,
            PersistentTotalBytes = plan.PersistentTotalBytes,
            WeightsBytes = plan.WeightsBytes,
            PlannerName = plan.PlannerName,
            RequiredIsa = isa,
        };
    }

    private static Graph ReadGraph(ref Cursor r, string path)
    {
        var g = new Graph { Name = r.String("graph name") };
        string source = r.String("source");
        string format = r.String("format");
        g.Source = path;
        g.Format = "edge";
        g.Opset = r.Int32("opset");
        g.Streaming = r.Bool("streaming");
        g.MaxFrames = r.Int32("max frames");
        if (g.MaxFrames < 1) throw new ModelException($"{path}: plan is corrupt (max frames {g.MaxFrames})");
        bool hasRate = r.Bool("sample rate flag");
        double rate = r.Double("sample rate");
        if (hasRate) g.SampleRate = rate;
        int nMeta = r.Count("metadata");
        for (int i = 0; i < nMeta; i++) g.Metadata[r.String("metadata key")] = r.String("metadata value");
        g.Metadata.TryAdd("compiled_from", source);
        g.Metadata.TryAdd("compiled_format", format);
        int nTensors = r.Count("tensors");
        for (int i = 0; i < nTensors; i++)
        {
            var t = ReadTensor(ref r, path);
            if (!g.Tensors.TryAdd(t.Name, t)) throw new ModelException($"{path}: plan is corrupt (tensor '{t.Name}' stored twice)");
        }
        foreach (var s in r.StringList("inputs")) g.Inputs.Add(Known(g, s, path));
        foreach (var s in r.StringList("outputs")) g.Outputs.Add(Known(g, s, path));
        int nNodes = r.Count("nodes");
        for (int i = 0; i < nNodes; i++)
        {
            string op = r.String("op type"), name = r.String("node name"), domain = r.String("domain");
            var node = new Node(op, name, r.StringList("node inputs"), r.StringList("node outputs"), domain);
            foreach (var s in node.Inputs.Concat(node.Outputs))
                if (s.Length > 0) Known(g, s, path);
            int nAttr = r.Count("attributes");
            for (int a = 0; a < nAttr; a++)
            {
                string an = r.String("attribute name");
                var kind = (AttributeKind)r.Byte("attribute kind");
                Ir.Attribute attr = kind switch
                {
                    AttributeKind.Float => Ir.Attribute.Of(r.Single("float attribute")),
                    AttributeKind.Int => Ir.Attribute.Of(r.Int64("int attribute")),
                    AttributeKind.String => Ir.Attribute.Of(r.String("string attribute")),
                    AttributeKind.Tensor => Ir.Attribute.Of(ReadTensor(ref r, path)),
                    AttributeKind.Floats => Ir.Attribute.Of(r.Singles("float list attribute")),
                    AttributeKind.Ints => Ir.Attribute.Of(r.Int64s("int list attribute")),
                    AttributeKind.Strings => Ir.Attribute.Of(r.StringList("string list attribute").ToArray()),
                    _ => throw new ModelException($"{path}: plan is corrupt ({node.Describe()}: attribute '{an}' has unknown kind {(int)kind})"),
                };
                node.Attributes[an] = attr;
            }
            g.Nodes.Add(node);
        }
        return g;
    }

    private static string Known(Graph g, string name, string path) => g.Tensors.ContainsKey(name) ? name
        : throw new ModelException($"{path}: plan is corrupt (tensor '{name}' is referenced but not stored)");

    private static Tensor ReadTensor(ref Cursor r, string path)
    {
        string name = r.String("tensor name");
        var type = (DataType)r.Int32($"type of '{name}'");
        if (!Enum.IsDefined(type)) throw new ModelException($"{path}: plan is corrupt (tensor '{name}' has unknown type {(int)type})");
        int rank = r.Int32($"rank of '{name}'");
        if ((uint)rank > PlanFormat.MaxRank) throw new ModelException($"{path}: plan is corrupt (tensor '{name}' has rank {rank})");
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = r.Int32($"shape of '{name}'");
            if (shape[d] < 0) throw new ModelException($"{path}: plan is corrupt (tensor '{name}' has dimension {shape[d]})");
        }
        var t = new Tensor(name, type, shape);
        if (r.Bool($"layout flag of '{name}'")) t.Layout = r.String($"layout of '{name}'");
        if (r.Bool($"quantization flag of '{name}'"))
        {
            var scales = r.Singles($"scales of '{name}'");
            var zps = r.Int64s($"zero points of '{name}'");
            int axis = r.Int32($"quantization axis of '{name}'");
            t.Quant = new QuantParams(scales, zps, axis);
        }
        if (r.Bool($"constant flag of '{name}'"))
        {
            long len = r.NonNegativeInt64($"constant length of '{name}'");
            if (len > r.Remaining) throw new ModelException($"{path}: plan is truncated (tensor '{name}' claims {len} bytes, {r.Remaining} left)");
            long expected;
            try { expected = checked(t.ElementCount * Math.Max(type == DataType.String ? 1 : type.SizeInBytes(), 1)); }
            catch (Exception e) when (e is OverflowException or NotSupportedException) { throw new ModelException($"{path}: plan is corrupt (tensor '{name}' size)", e); }
            if (type != DataType.String && len != expected)
                throw new ModelException($"{path}: plan is corrupt (tensor '{name}' [{string.Join(",", shape)}] {type.ShortName()} needs {expected} bytes, stored {len})");
            t.Constant = r.Bytes((int)len, $"constant of '{name}'");
        }
        return t;
    }

    /// <summary>Bounds-checked little-endian reader over the body; every failure names what was being read.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> data, string path)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly string _path = path;
        private int _pos;

        public readonly int Remaining => _data.Length - _pos;
        public readonly bool AtEnd => _pos == _data.Length;

        private ReadOnlySpan<byte> Take(int n, string what)
        {
            if (n < 0 || n > Remaining)
                throw new ModelException($"{_path}: plan is truncated or corrupt (reading {what} at body byte {_pos}: need {n} bytes, {Remaining} left)");
            var s = _data.Slice(_pos, n);
            _pos += n;
            return s;
        }

        public byte Byte(string what) => Take(1, what)[0];
        public bool Bool(string what)
        {
            byte b = Byte(what);
            return b <= 1 ? b == 1 : throw new ModelException($"{_path}: plan is corrupt ({what} is {b}, not 0 or 1)");
        }
        public int Int32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));
        public long Int64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));
        public float Single(string what) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));
        public double Double(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

        public long NonNegativeInt64(string what)
        {
            long v = Int64(what);
            return v >= 0 ? v : throw new ModelException($"{_path}: plan is corrupt ({what} is {v})");
        }

        public int Count(string what)
        {
            int n = Int32(what);
            if (n < 0 || n > PlanFormat.MaxCount || n > Remaining)
                throw new ModelException($"{_path}: plan is corrupt (count of {what} is {n}, out of range)");
            return n;
        }

        public string String(string what)
        {
            int n = Int32(what);
            if (n < 0 || n > PlanFormat.MaxStringBytes)
                throw new ModelException($"{_path}: plan is corrupt (length of {what} is {n}, out of range)");
            return Encoding.UTF8.GetString(Take(n, what));
        }

        public List<string> StringList(string what)
        {
            int n = Count(what);
            var l = new List<string>(n);
            for (int i = 0; i < n; i++) l.Add(String(what));
            return l;
        }

        public float[] Singles(string what)
        {
            int n = Count(what);
            var b = Take(checked(n * 4), what);
            var a = new float[n];
            for (int i = 0; i < n; i++) a[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(i * 4)..]);
            return a;
        }

        public long[] Int64s(string what)
        {
            int n = Count(what);
            var b = Take(checked(n * 8), what);
            var a = new long[n];
            for (int i = 0; i < n; i++) a[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(i * 8)..]);
            return a;
        }

        public byte[] Bytes(int n, string what) => Take(n, what).ToArray();
    }
}
