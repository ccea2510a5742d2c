using System.Globalization;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Conformance.RtNeural;

/// <summary>A numeric CSV file (rows of comma-separated values, or one value per line) as rows × cols.</summary>
public sealed class CsvMatrix
{
    private CsvMatrix(double[][] rows) { Rows = rows; }

    public double[][] Rows { get; }
    public int RowCount => Rows.Length;
    public int ColCount => Rows.Length == 0 ? 0 : Rows[0].Length;

    public static CsvMatrix Read(string path)
    {
        var rows = new List<double[]>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0) continue;
            var parts = line.Split(',');
            var row = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
                    throw new ModelException($"{path}: line {rows.Count + 1}: '{parts[i]}' is not a number");
            if (rows.Count > 0 && row.Length != rows[0].Length) throw new ModelException($"{path}: line {rows.Count + 1} has {row.Length} values, expected {rows[0].Length}");
            rows.Add(row);
        }
        return new CsvMatrix(rows.ToArray());
    }

    /// <summary>All values in file order (row-major) as float32.</summary>
    public float[] Flat() => Rows.SelectMany(r => r).Select(v => (float)v).ToArray();

    /// <summary>Transposed, row-major as float32 (channel-major file → time-major interleaved frames).</summary>
    public float[] TransposedFlat()
    {
        int r = RowCount, c = ColCount;
        var d = new float[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                d[j * r + i] = (float)Rows[i][j];
        return d;
    }
}
