using System.Runtime.CompilerServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Kernels.Int8;
using EdgeRuntime.Kernels.Isa;
using EdgeRuntime.Kernels.Requant;
using EdgeRuntime.Planning;

namespace EdgeRuntime.Operators.Quantized;

/// <summary>The fast path of QLinearConv and ConvInteger on the kernel library's int8 GEMM.
/// <para>uint8 operands are mapped to int8 by flipping the top bit (v − 128; zero points move with them), so
/// <c>acc = Σ_k (w′ − W0[m])·(x′ − X0) = Σ w′x′ − X0·Σ_k w′[m,k] − W0[m]·Σ_k x′[p,k] + K·X0·W0[m]</c>, exactly
/// (mod 2^32) the reference's sum. Per batch the NCHW input is transposed once into per-group NHWC
/// (scratch); each block of output pixels gathers its patches (k = ky, kx, c; padded with X0, K rounded up to
/// 32 with zeros) unless the filter is 1×1 with stride 1 and no padding, where the transposed input rows are
/// the patches. One GEMM per group and block: A = packed weights (M/group × K, rows in the patch order,
/// packed when the kernel is created, or per run when the weights are a run-time input), B = patches,
/// C = [channel, pixel] int32, which is NCHW. A uniform W0 is the GEMM's A offset; per-channel W0 is
/// subtracted per pixel afterwards. The per-channel terms (bias − X0·Σw′ + K·X0·W0) go to the output stage:
/// <see cref="RequantizeFloat"/> (QLinearConv) or an int32 store (ConvInteger).</para></summary>
internal sealed unsafe class Int8ConvCore
{
    private readonly IntegerConv _c;
    private readonly KernelPath _path;
    private readonly byte* _x, _w, _xzp, _wzp;
    private readonly int* _bias;
    private readonly DataType _xt, _wt;
    private readonly bool _wConstant, _wzpPerChannel, _pointwise;
    private readonly int _k, _kp, _chunk, _p;
    private readonly sbyte* _wp, _xT, _patches;
    private readonly int* _rowW, _w0, _rowBias, _acc, _colX;
    private readonly PinnedBuffers _keep = new();

    private static bool Pointwise(IntegerConv c) =>
        c.KH == 1 && c.KW == 1 && c.SH == 1 && c.SW == 1 && c.PadT == 0 && c.PadL == 0 && c.OH == c.H && c.OW == c.W;

    private static int K(IntegerConv c) => c.CPerGroup * c.KH * c.KW;
    private static int KPadded(IntegerConv c) => Pointwise(c) ? K(c) : (K(c) + 31) & ~31;
    private static int Chunk(IntegerConv c) => Math.Min(c.OH * c.OW, Math.Clamp(16384 / KPadded(c), 16, 512) & ~3);

    /// <summary>Scratch: the transposed input of one batch, then one block of patches.</summary>
    public static long ScratchBytes(IntegerConv c) =>
        ArenaPlan.Align((long)c.C * c.H * c.W) + (Pointwise(c) ? 0 : (long)Chunk(c) * KPadded(c));

    /// <param name="xIn">input index of x; w, x zero point, w zero point and bias at the given indices (−1: absent).</param>
    public Int8ConvCore(IntegerConv c, KernelContext ctx, int xIn, int wIn, int xzpIn, int wzpIn, int biasIn)
    {
        _c = c;
        _path = QuantizedKernels.Path;
        _x = ctx.InputPtr(xIn); _w = ctx.InputPtr(wIn);
        _xzp = xzpIn >= 0 ? ctx.InputPtr(xzpIn) : null;
        _wzp = wzpIn >= 0 ? ctx.InputPtr(wzpIn) : null;
        _bias = biasIn >= 0 && ctx.HasInput(biasIn) ? (int*)ctx.InputPtr(biasIn) : null;
        _xt = ctx.Input(xIn).Type; _wt = ctx.Input(wIn).Type;
        _wzpPerChannel = _wzp != null && ctx.Input(wzpIn).ElementCount > 1;
        _wConstant = ctx.Input(wIn).IsConstant;
        _pointwise = Pointwise(c);
        _k = K(c); _kp = KPadded(c); _chunk = Chunk(c); _p = c.OH * c.OW;
        _xT = (sbyte*)ctx.Scratch;
        _patches = _xT + ArenaPlan.Align((long)c.C * c.H * c.W);
        _wp = _keep.Bytes((long)c.M * _kp);
        _rowW = _keep.Ints(c.M); _w0 = _keep.Ints(c.M); _rowBias = _keep.Ints(c.M);
        _acc = _keep.Ints(checked(c.MPerGroup * _chunk));
        _colX = _keep.Ints(_chunk);
        if (_wConstant) PackWeights();
    }

    /// <summary>OIHW weights → [M][ky][kx][c] int8, rows of K padded with zeros to the packed stride, and Σ_k w′.</summary>
    private void PackWeights()
    {
        var c = _c;
        int cpg = c.CPerGroup;
        byte flip = QuantizedKernels.Flip(_wt);
        new Span<sbyte>(_wp, c.M * _kp).Clear();
        for (int m = 0; m < c.M; m++)
        {
            sbyte* row = _wp + (long)m * _kp;
            for (int ci = 0; ci < cpg; ci++)
                for (int ky = 0; ky < c.KH; ky++)
                    for (int kx = 0; kx < c.KW; kx++)
                        row[(ky * c.KW + kx) * cpg + ci] = (sbyte)(_w[(((long)m * cpg + ci) * c.KH + ky) * c.KW + kx] ^ flip);
        }
        Int8GemmPacking.RowSums(c.M, _kp, _wp, _kp, _rowW);
    }

    /// <summary>Run the convolution; each finished block of [channel, pixel] accumulators (including bias and
    /// every zero-point term except the per-channel rowBias, which is passed along) goes to the output stage.</summary>
    public void Run(IOutput output)
    {
        var c = _c;
        if (!_wConstant) PackWeights();
        int x0 = QuantizedKernels.Signed(_xzp == null ? 0 : QuantElements.Load(_xzp, 0, _xt), _xt);
        bool uniform = true;
        for (int m = 0; m < c.M; m++)
        {
            _w0[m] = QuantizedKernels.Signed(_wzp == null ? 0 : QuantElements.Load(_wzp, _wzpPerChannel ? m : 0, _wt), _wt);
            if (_w0[m] != _w0[0]) uniform = false;
            _rowBias[m] = unchecked((_bias != null ? _bias[m] : 0) - x0 * _rowW[m] + _k * x0 * _w0[m]);
        }
        int mg = c.MPerGroup, cpg = c.CPerGroup;
        long hw = (long)c.H * c.W;
        for (int b = 0; b < c.N; b++)
        {
            Transpose(_x + (long)b * c.C * hw, x0);
            for (int g = 0; g < c.Group; g++)
            {
                sbyte* xg = _xT + g * hw * cpg;
                sbyte* wg = _wp + (long)g * mg * _kp;
                for (int p0 = 0; p0 < _p; p0 += _chunk)
                {
                    int np = Math.Min(_chunk, _p - p0);
                    sbyte* patches;
                    int ld;
                    if (_pointwise) { patches = xg + (long)p0 * cpg; ld = cpg; }
                    else { Gather(xg, p0, np, x0); patches = _patches; ld = _kp; }
                    Int8Gemm.Run(_path, mg, np, _kp, wg, _kp, patches, ld, _acc, np, null, uniform ? -_w0[0] : 0);
                    if (!uniform)
                    {
                        Int8GemmPacking.RowSums(np, _kp, patches, ld, _colX);
                        for (int m = 0; m < mg; m++)
                        {
                            int w0 = _w0[g * mg + m];
                            int* row = _acc + (long)m * np;
                            for (int p = 0; p < np; p++) row[p] = unchecked(row[p] - w0 * _colX[p]);
                        }
                    }
                    output.Block(_acc, mg, np, _rowBias + g * mg, g * mg, ((long)b * c.M + g * mg) * _p + p0, _p);
                }
            }
        }
    }

    /// <summary>One batch of NCHW input → [group][h][w][c in group] int8.</summary>
    private void Transpose(byte* x, int x0)
    {
        var c = _c;
        int cpg = c.CPerGroup;
        long hw = (long)c.H * c.W;
        byte flip = QuantizedKernels.Flip(_xt);
        for (int ch = 0; ch < c.C; ch++)
        {
            int g = ch / cpg, ci = ch % cpg;
            byte* src = x + ch * hw;
            sbyte* dst = _xT + g * hw * cpg + ci;
            for (long i = 0; i < hw; i++) dst[i * cpg] = (sbyte)(src[i] ^ flip);
        }
    }

    /// <summary>Patches of output pixels [p0, p0 + np) of one group: taps outside the input read X0 (the
    /// zero-point-shifted value 0), the padded tail of K reads 0 (its weights are 0).</summary>
    private void Gather(sbyte* xg, int p0, int np, int x0)
    {
        var c = _c;
        int cpg = c.CPerGroup;
        uint rowBytes = (uint)(c.KW * cpg);
        for (int i = 0; i < np; i++)
        {
            int p = p0 + i, oy = p / c.OW, ox = p % c.OW;
            sbyte* dst = _patches + (long)i * _kp;
            int iy0 = oy * c.SH - c.PadT, ix0 = ox * c.SW - c.PadL;
            // Undilated filter rows wholly inside the input are one contiguous NHWC run.
            bool rowsInside = c.DW == 1 && ix0 >= 0 && ix0 + c.KW <= c.W;
            for (int ky = 0; ky < c.KH; ky++, dst += rowBytes)
            {
                int iy = iy0 + ky * c.DH;
                bool rowIn = (uint)iy < (uint)c.H;
                sbyte* src = xg + ((long)iy * c.W + ix0) * cpg;
                if (rowIn && rowsInside) { Unsafe.CopyBlockUnaligned(dst, src, rowBytes); continue; }
                for (int kx = 0; kx < c.KW; kx++)
                {
                    int ix = ix0 + kx * c.DW;
                    if (rowIn && (uint)ix < (uint)c.W) Unsafe.CopyBlockUnaligned(dst + kx * cpg, src + (long)kx * c.DW * cpg, (uint)cpg);
                    else Unsafe.InitBlockUnaligned(dst + kx * cpg, (byte)x0, (uint)cpg);
                }
            }
            if (_kp > _k) Unsafe.InitBlockUnaligned(_patches + (long)i * _kp + _k, 0, (uint)(_kp - _k));
        }
    }

    /// <summary>Where a block of accumulators goes.</summary>
    public interface IOutput
    {
        /// <param name="acc">[rows × cols] (row stride cols), rows = output channels <paramref name="channel0"/>…</param>
        /// <param name="rowBias">per-row int32 term still to add (wrapping).</param>
        /// <param name="dstOffset">element offset of [row 0, col 0] in the NCHW output; rows are <paramref name="ldDst"/> apart.</param>
        void Block(int* acc, int rows, int cols, int* rowBias, int channel0, long dstOffset, int ldDst);
    }

    /// <summary>ConvInteger: int32 output.</summary>
    public sealed class Int32Output(int* y) : IOutput
    {
        public void Block(int* acc, int rows, int cols, int* rowBias, int channel0, long dstOffset, int ldDst)
        {
            for (int r = 0; r < rows; r++)
            {
                int* src = acc + (long)r * cols;
                int* dst = y + dstOffset + (long)r * ldDst;
                int bias = rowBias[r];
                for (int i = 0; i < cols; i++) dst[i] = unchecked(src[i] + bias);
            }
        }
    }

    /// <summary>QLinearConv: float-scaled requantization, one scale per output channel (or one).</summary>
    public sealed class RequantOutput(byte* y, float* scale, bool perChannel, KernelPath path) : IOutput
    {
        public int ZeroPoint, Min, Max;

        public void Block(int* acc, int rows, int cols, int* rowBias, int channel0, long dstOffset, int ldDst) =>
            RequantizeFloat.Run(path, rows, cols, acc, cols, rowBias, perChannel ? scale + channel0 : scale,
                perChannel ? ScaleAxis.Row : ScaleAxis.Tensor, ZeroPoint, y + dstOffset, ldDst, Min, Max);
    }
}
