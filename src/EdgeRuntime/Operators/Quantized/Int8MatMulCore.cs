using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Requant;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>The fast path of QLinearMatMul, MatMulInteger and QGemm on the kernel library's int8 GEMM.
/// <para>uint8 operands are mapped to int8 by flipping the top bit (zero points move with them), then
/// <c>acc[m,n] = Σ_k (a′ − A0[m])(b′ − B0[n]) = Σ a′b′ − A0[m]·Σ_k b′[k,n] − B0[n]·(Σ_k a′[m,k] − K·A0[m])</c>
/// (mod 2^32, as the reference). B is packed as N×K rows (transposed, converted) when the kernel is created,
/// or per run when it is a run-time input or differs per batch. A is used in place when it is int8 and not
/// transposed, else converted into scratch. A uniform A0 goes into the GEMM's column bias with the int32 bias;
/// a per-row A0 and a non-zero B0 are corrected after the GEMM.</para></summary>
internal sealed unsafe class Int8MatMulCore
{
    private readonly KernelPath _path;
    private readonly int _batches, _m, _k, _n;
    private readonly bool _sharedB, _transA, _transB, _bPacked, _aInPlace, _aPerRow, _bPerCol, _biasScalar;
    private readonly byte* _a, _b, _azp, _bzp;
    private readonly int* _bias;
    private readonly DataType _at, _bt;
    private readonly sbyte* _aConv, _bp;
    private readonly int* _colB, _rowA, _a0, _b0, _colBias, _acc;
    private readonly PinnedBuffers _keep = new();

    public readonly record struct Shape(int Batches, int M, int K, int N, bool SharedB, bool TransA, bool TransB);

    /// <summary>Scratch: A converted (and transposed) to int8 for one batch, when it cannot be used in place.</summary>
    public static long ScratchBytes(Shape s, DataType aType) =>
        aType == DataType.UInt8 || s.TransA ? (long)s.M * s.K : 0;

    /// <param name="biasIn">input index of an int32 bias per column (or scalar), −1 when there is none.</param>
    public Int8MatMulCore(Shape s, KernelContext ctx, int aIn, int azpIn, int bIn, int bzpIn, int biasIn, bool directInt32)
    {
        _path = QuantizedKernels.Path;
        (_batches, _m, _k, _n, _sharedB, _transA, _transB) = (s.Batches, s.M, s.K, s.N, s.SharedB, s.TransA, s.TransB);
        _a = ctx.InputPtr(aIn); _b = ctx.InputPtr(bIn);
        _azp = ctx.HasInput(azpIn) ? ctx.InputPtr(azpIn) : null;
        _bzp = ctx.HasInput(bzpIn) ? ctx.InputPtr(bzpIn) : null;
        _at = ctx.Input(aIn).Type; _bt = ctx.Input(bIn).Type;
        _aPerRow = _azp != null && ctx.Input(azpIn).ElementCount > 1;
        _bPerCol = _bzp != null && ctx.Input(bzpIn).ElementCount > 1;
        _bias = biasIn >= 0 && ctx.HasInput(biasIn) ? (int*)ctx.InputPtr(biasIn) : null;
        _biasScalar = _bias != null && ctx.Input(biasIn).ElementCount == 1;
        _aInPlace = _at == DataType.Int8 && !_transA;
        _aConv = (sbyte*)ctx.Scratch;
        _bp = _keep.Bytes((long)_n * _k);
        _colB = _keep.Ints(_n); _rowA = _keep.Ints(_m); _a0 = _keep.Ints(_m); _b0 = _keep.Ints(_n); _colBias = _keep.Ints(_n);
        _acc = directInt32 ? null : _keep.Ints(checked(_m * _n));
        _bPacked = ctx.Input(bIn).IsConstant && _sharedB;
        if (_bPacked) PackB(0);
    }

    /// <summary>B of one batch → N×K int8 rows, and Σ_k b′ per column.</summary>
    private void PackB(int batch)
    {
        byte flip = QuantizedKernels.Flip(_bt);
        byte* b = _b + (_sharedB ? 0 : (long)batch * _k * _n);
        if (_transB)
            for (long i = 0; i < (long)_n * _k; i++) _bp[i] = (sbyte)(b[i] ^ flip);
        else
            for (int kk = 0; kk < _k; kk++)
                for (int j = 0; j < _n; j++) _bp[(long)j * _k + kk] = (sbyte)(b[(long)kk * _n + j] ^ flip);
        Int8GemmPacking.RowSums(_n, _k, _bp, _k, _colB);
    }

    /// <summary>A of one batch as int8 rows (in place, or converted into scratch).</summary>
    private sbyte* RowsOfA(int batch)
    {
        byte* a = _a + (long)batch * _m * _k;
        if (_aInPlace) return (sbyte*)a;
        byte flip = QuantizedKernels.Flip(_at);
        if (_transA)
            for (int kk = 0; kk < _k; kk++)
                for (int i = 0; i < _m; i++) _aConv[(long)i * _k + kk] = (sbyte)(a[(long)kk * _m + i] ^ flip);
        else
            for (long i = 0; i < (long)_m * _k; i++) _aConv[i] = (sbyte)(a[i] ^ flip);
        return _aConv;
    }

    /// <summary>Run every batch; <paramref name="direct"/> (when the core was built for it) receives the exact
    /// int32 results in place, otherwise each batch's [M × N] accumulators go to <paramref name="output"/>.</summary>
    public void Run(int* direct, IOutput? output)
    {
        bool a0Uniform = true, anyB0 = false;
        for (int i = 0; i < _m; i++)
        {
            _a0[i] = QuantizedKernels.Signed(_azp == null ? 0 : QuantElements.Load(_azp, _aPerRow ? i : 0, _at), _at);
            if (_a0[i] != _a0[0]) a0Uniform = false;
        }
        for (int j = 0; j < _n; j++)
        {
            _b0[j] = QuantizedKernels.Signed(_bzp == null ? 0 : QuantElements.Load(_bzp, _bPerCol ? j : 0, _bt), _bt);
            anyB0 |= _b0[j] != 0;
        }
        for (int batch = 0; batch < _batches; batch++)
        {
            if (!_bPacked && (batch == 0 || !_sharedB)) PackB(batch);
            for (int j = 0; j < _n; j++)
                _colBias[j] = unchecked((_bias == null ? 0 : _bias[_biasScalar ? 0 : j]) - (a0Uniform ? _a0[0] * _colB[j] : 0));
            sbyte* a = RowsOfA(batch);
            int* c = direct != null ? direct + (long)batch * _m * _n : _acc;
            Int8Gemm.Run(_path, _m, _n, _k, a, _k, _bp, _k, c, _n, _colBias, 0);
            if (!a0Uniform || anyB0)
            {
                if (anyB0) Int8GemmPacking.RowSums(_m, _k, a, _k, _rowA);
                for (int i = 0; i < _m; i++)
                {
                    int* row = c + (long)i * _n;
                    int a0 = a0Uniform ? 0 : _a0[i];
                    int ra = anyB0 ? unchecked(_rowA[i] - _k * _a0[i]) : 0;
                    for (int j = 0; j < _n; j++) row[j] = unchecked(row[j] - a0 * _colB[j] - _b0[j] * ra);
                }
            }
            output?.Block(c, _m, _n, batch);
        }
    }

    public interface IOutput
    {
        void Block(int* acc, int rows, int cols, int batch);
    }

    /// <summary>QLinearMatMul / QGemm: float-scaled requantization, one scale per column (or one).</summary>
    public sealed class RequantOutput(byte* y, float* scale, bool perColumn, KernelPath path) : IOutput
    {
        public int ZeroPoint, Min, Max;

        public void Block(int* acc, int rows, int cols, int batch) =>
            RequantizeFloat.Run(path, rows, cols, acc, cols, null, scale, perColumn ? ScaleAxis.Column : ScaleAxis.Tensor,
                ZeroPoint, y + (long)batch * rows * cols, cols, Min, Max);
    }
}
