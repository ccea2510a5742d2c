namespace EdgeRuntime.Kernels.Int8;

/// <summary>Plan-time helpers for <see cref="Int8Gemm"/>: per-row weight sums, the input-offset folding that
/// removes the per-call Σb work (call Run with aOffset = 0 and the folded bias), and the symmetric-weights
/// check that enables the SMLAL2 fusion.</summary>
public static unsafe class Int8GemmPacking
{
    /// <summary>sums[j] = Σ_k B[j,k] for the n×k weights B (row stride ldb).</summary>
    public static void RowSums(int n, int k, sbyte* b, int ldb, int* sums)
    {
        for (int j = 0; j < n; j++) sums[j] = Int8Gemm.RowSum(b + (long)j * ldb, 0, k);
    }

    /// <summary>folded[j] = bias[j] + aOffset·Σ_k B[j,k]; then Int8Gemm.Run(..., bias: folded, aOffset: 0)
    /// gives the same (bit-exact) result as Run(..., bias, aOffset).</summary>
    public static void FoldInputOffset(int n, int k, sbyte* b, int ldb, int* bias, int aOffset, int* folded)
    {
        for (int j = 0; j < n; j++)
            folded[j] = unchecked((bias != null ? bias[j] : 0) + aOffset * Int8Gemm.RowSum(b + (long)j * ldb, 0, k));
    }

    /// <summary>True when no weight is −128 (TFLite's symmetric int8 range), so weightsSymmetric: true is valid.</summary>
    public static bool IsSymmetric(int n, int k, sbyte* b, int ldb)
    {
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++)
                if (b[(long)j * ldb + p] == sbyte.MinValue) return false;
        return true;
    }
}
