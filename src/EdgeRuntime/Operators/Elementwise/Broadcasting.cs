using EdgeRuntime.Ir;

namespace EdgeRuntime.Operators.Elementwise;

/// <summary>Multidirectional (numpy) broadcasting: output shapes and the legacy (opset &lt; 7)
/// <c>broadcast</c>/<c>axis</c> alignment.</summary>
public static class Broadcasting
{
    /// <summary>The numpy broadcast of <paramref name="shapes"/>, or a <see cref="ModelException"/> naming the node.</summary>
    public static int[] Shape(Graph graph, Node node, IReadOnlyList<int[]> shapes)
    {
        int rank = shapes.Max(s => s.Length);
        var result = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int dim = 1;
            foreach (var s in shapes)
            {
                int k = d - (rank - s.Length);
                if (k < 0) continue;
                int v = s[k];
                if (v == dim || v == 1) continue;
                if (dim == 1) { dim = v; continue; }
                throw new ModelException($"{graph.Source}: {node.Describe()}: shapes {string.Join(" and ", shapes.Select(Fmt))} cannot be broadcast together");
            }
            // A dimension of 0 broadcasts with 1 to 0.
            foreach (var s in shapes)
            {
                int k = d - (rank - s.Length);
                if (k >= 0 && s[k] == 0) dim = 0;
            }
            result[d] = dim;
        }
        return result;
    }

    /// <summary>Input shapes as the op sees them: for opset &lt; 7 binary ops with <c>broadcast=1</c>,
    /// B is aligned at <c>axis</c> (or as a suffix) and padded with ones to A's rank.</summary>
    public static int[][] EffectiveShapes(Graph graph, Node node)
    {
        var shapes = node.Inputs.Where(s => s.Length > 0).Select(s => graph[s].Shape).ToArray();
        if (shapes.Length == 2 && node.GetInt("broadcast", 0) == 1)
        {
            int[] a = shapes[0], b = shapes[1];
            int axis = node.Has("axis") ? (int)node.GetInt("axis", 0) : a.Length - b.Length;
            if (axis < 0) axis += a.Length;
            if (axis < 0 || axis + b.Length > a.Length)
                throw new ModelException($"{graph.Source}: {node.Describe()}: cannot align B {Fmt(b)} with A {Fmt(a)} at axis {axis}");
            var eb = Enumerable.Repeat(1, a.Length).ToArray();
            for (int i = 0; i < b.Length; i++) eb[axis + i] = b[i];
            shapes[1] = eb;
        }
        return shapes;
    }

    public static string Fmt(int[] s) => "[" + string.Join(",", s) + "]";
}

/// <summary>Walks an output shape row by row (the innermost, coalesced dimension is a row) and gives,
/// for each of K broadcast inputs, the element offset of the row's start and the element stride
/// (0 or 1) along the row. Built once at kernel creation; <see cref="RowOffsets"/> allocates nothing.</summary>
public sealed class BroadcastIterator
{
    private readonly int[] _outerDims;      // coalesced outer dims (row-major), excluding the row
    private readonly long[][] _outerStrides; // per input, per outer dim
    private readonly int _k;

    public BroadcastIterator(int[] outShape, IReadOnlyList<int[]> inShapes)
    {
        _k = inShapes.Count;
        int rank = outShape.Length;
        // Pad input shapes to the output rank.
        var padded = inShapes.Select(s => Enumerable.Repeat(1, rank - s.Length).Concat(s).ToArray()).ToArray();
        // Per input, per dim: does it vary along this dim (true) or broadcast (false)?
        var dims = new List<int>();
        var varies = new List<bool[]>();
        for (int d = 0; d < rank; d++)
        {
            if (outShape[d] == 1) continue; // size-1 dims contribute nothing
            var v = new bool[_k];
            for (int i = 0; i < _k; i++) v[i] = padded[i][d] != 1;
            if (dims.Count > 0 && varies[^1].AsSpan().SequenceEqual(v))
                dims[^1] *= outShape[d];
            else { dims.Add(outShape[d]); varies.Add(v); }
        }
        if (dims.Count == 0) { dims.Add(1); varies.Add(new bool[_k]); }
        RowLength = dims[^1];
        InnerStride = new int[_k];
        for (int i = 0; i < _k; i++) InnerStride[i] = varies[^1][i] ? 1 : 0;
        _outerDims = dims.Take(dims.Count - 1).ToArray();
        _outerStrides = new long[_k][];
        for (int i = 0; i < _k; i++)
        {
            var st = new long[dims.Count];
            long acc = 1;
            for (int d = dims.Count - 1; d >= 0; d--)
            {
                st[d] = varies[d][i] ? acc : 0;
                if (varies[d][i]) acc *= dims[d];
            }
            _outerStrides[i] = st.Take(dims.Count - 1).ToArray();
        }
        Rows = _outerDims.Aggregate(1L, (a, d) => a * d);
        TotalElements = Rows * RowLength;
        foreach (var d in outShape) if (d == 0) { Rows = 0; TotalElements = 0; }
    }

    public long Rows { get; }
    public int RowLength { get; }
    public long TotalElements { get; }
    /// <summary>Per input: 1 when the input advances along the row, 0 when it is broadcast over it.</summary>
    public int[] InnerStride { get; }
    /// <summary>True when every input is contiguous over the whole output (no broadcasting).</summary>
    public bool Flat => _outerDims.Length == 0 && InnerStride.All(s => s == 1);

    /// <summary>Element offsets, one per input, of the start of row <paramref name="row"/>.</summary>
    public void RowOffsets(long row, Span<long> offsets)
    {
        offsets.Clear();
        for (int d = _outerDims.Length - 1; d >= 0; d--)
        {
            long dim = _outerDims[d];
            long c = row % dim;
            row /= dim;
            for (int i = 0; i < _k; i++) offsets[i] += c * _outerStrides[i][d];
        }
    }
}
