using System.Runtime.Intrinsics;

namespace EdgeRuntime.Kernels.Isa;

/// <summary>Maps ACLE intrinsic names (as in <c>shared/neon-vectors/*.json</c>) to the software model, so
/// recorded hardware vectors can check it, and lists the NEON instructions the kernels use.
/// Operands and results are lane arrays of <c>long</c>: integers by value, float32/float16 by their IEEE bit
/// pattern; a scalar is a one-element array; 64-bit vectors have 8/4/2 lanes.</summary>
public static class NeonModelCatalog
{
    /// <summary>Evaluate one intrinsic on the model. <paramref name="imm"/> is the lane/shift immediate (or 0).</summary>
    public delegate long[] Eval(long[][] args, int imm);

    /// <summary>An instruction the kernels use on the NEON paths, the intrinsics whose vectors verify it
    /// (empty when none exist), where it is used, and why it is unverified when it has no vectors.</summary>
    public sealed record UsedInstruction(string Instruction, string[] Intrinsics, string UsedBy, string ReasonIfUnverified);

    // ---- lane conversions ----
    private static Vector128<T> V<T>(long[] a) where T : unmanaged
    {
        int n = Vector128<T>.Count;
        Span<T> s = stackalloc T[n];
        for (int i = 0; i < n && i < a.Length; i++) s[i] = FromLong<T>(a[i]);
        return Vector128.Create<T>(s);
    }
    private static T FromLong<T>(long v) where T : unmanaged
    {
        if (typeof(T) == typeof(sbyte)) return (T)(object)(sbyte)v;
        if (typeof(T) == typeof(byte)) return (T)(object)(byte)v;
        if (typeof(T) == typeof(short)) return (T)(object)(short)v;
        if (typeof(T) == typeof(ushort)) return (T)(object)(ushort)v;
        if (typeof(T) == typeof(int)) return (T)(object)(int)v;
        if (typeof(T) == typeof(uint)) return (T)(object)(uint)v;
        if (typeof(T) == typeof(long)) return (T)(object)v;
        if (typeof(T) == typeof(float)) return (T)(object)BitConverter.Int32BitsToSingle((int)v);
        throw new NotSupportedException(typeof(T).Name);
    }
    private static long ToLong<T>(T v) where T : unmanaged => v switch
    {
        sbyte x => x, byte x => x, short x => x, ushort x => x, int x => x, uint x => x, long x => x,
        float x => (uint)BitConverter.SingleToInt32Bits(x),
        _ => throw new NotSupportedException(typeof(T).Name),
    };
    private static long[] R<T>(Vector128<T> v, int lanes = 0) where T : unmanaged
    {
        int n = lanes > 0 ? lanes : Vector128<T>.Count;
        var r = new long[n];
        for (int i = 0; i < n; i++) r[i] = ToLong(v.GetElement(i));
        return r;
    }
    private static long[] S(long v) => [v];
    private static long F(float x) => (uint)BitConverter.SingleToInt32Bits(x);
    private static long H(Half h) => BitConverter.HalfToUInt16Bits(h);
    private static Half ToHalf(long bits) => BitConverter.UInt16BitsToHalf((ushort)bits);
    private static Vector128<T> Dup<T>(long v) where T : unmanaged => Vector128.Create(FromLong<T>(v));
    private static Vector128<T> Concat<T>(long[] lo, long[] hi) where T : unmanaged => V<T>([.. lo, .. hi]);

    private static readonly Dictionary<string, Eval> Table = new(StringComparer.Ordinal)
    {
        // float arithmetic
        ["vaddq_f32"] = (a, _) => R(AdvSimdModelIsa.Add(V<float>(a[0]), V<float>(a[1]))),
        ["vsubq_f32"] = (a, _) => R(AdvSimdModelIsa.Sub(V<float>(a[0]), V<float>(a[1]))),
        ["vmulq_f32"] = (a, _) => R(AdvSimdModelIsa.Mul(V<float>(a[0]), V<float>(a[1]))),
        ["vdivq_f32"] = (a, _) => R(AdvSimdModelIsa.Div(V<float>(a[0]), V<float>(a[1]))),
        ["vfmaq_f32"] = (a, _) => R(AdvSimdModelIsa.Fmla(V<float>(a[0]), V<float>(a[1]), V<float>(a[2]))),
        ["vfmaq_laneq_f32"] = (a, l) => R(NeonModel.FmlaLane(V<float>(a[0]), V<float>(a[1]), V<float>(a[2]), l)),
        ["vfmaq_lane_f32"] = (a, l) => R(NeonModel.FmlaLane(V<float>(a[0]), V<float>(a[1]), V<float>(a[2]), l)),
        ["vfmaq_n_f32"] = (a, _) => R(NeonModel.Fmla(V<float>(a[0]), V<float>(a[1]), Dup<float>(a[2][0]))),
        ["vmlaq_f32"] = (a, _) => R(NeonModel.FmulFadd(V<float>(a[0]), V<float>(a[1]), V<float>(a[2]))),
        ["vmaxq_f32"] = (a, _) => R(AdvSimdModelIsa.Max(V<float>(a[0]), V<float>(a[1]))),
        ["vminq_f32"] = (a, _) => R(AdvSimdModelIsa.Min(V<float>(a[0]), V<float>(a[1]))),
        ["vabsq_f32"] = (a, _) => R(AdvSimdModelIsa.Abs(V<float>(a[0]))),
        ["vnegq_f32"] = (a, _) => R(NeonModel.Fneg(V<float>(a[0]))),
        ["vabdq_f32"] = (a, _) => R(NeonModel.Fabd(V<float>(a[0]), V<float>(a[1]))),
        ["vaddvq_f32"] = (a, _) => S(F(AdvSimdModelIsa.Faddv(V<float>(a[0])))),
        ["vpaddq_f32"] = (a, _) => R(NeonModel.Faddp(V<float>(a[0]), V<float>(a[1]))),
        ["vdupq_n_f32"] = (a, _) => R(Dup<float>(a[0][0])),
        ["vrecpsq_f32"] = (a, _) => R(NeonModel.Frecps(V<float>(a[0]), V<float>(a[1]))),
        ["vcvtq_s32_f32"] = (a, _) => R(NeonModel.Fcvtzs(V<float>(a[0]))),
        ["vcvtnq_s32_f32"] = (a, _) => R(NeonModel.Fcvtns(V<float>(a[0]))),
        ["vcvtaq_s32_f32"] = (a, _) => R(NeonModel.Fcvtas(V<float>(a[0]))),
        ["vcvtq_f32_s32"] = (a, _) => R(NeonModel.Scvtf(V<int>(a[0]))),
        ["vcvt_f16_f32"] = (a, _) => a[0].Select(b => H(NeonModel.FcvtHalf(BitConverter.Int32BitsToSingle((int)b)))).ToArray(),
        ["vcvt_high_f16_f32"] = (a, _) => [.. a[0], .. a[1].Select(b => H(NeonModel.FcvtHalf(BitConverter.Int32BitsToSingle((int)b))))],
        ["vcvt_high_f32_f16"] = (a, _) => a[0].Skip(4).Select(h => F(NeonModel.FcvtlHalf(ToHalf(h)))).ToArray(),
        // dot product
        ["vdotq_s32"] = (a, _) => R(AdvSimdDpModelIsa.Sdot(V<int>(a[0]), V<sbyte>(a[1]), V<sbyte>(a[2]))),
        ["vdotq_laneq_s32"] = (a, l) => R(NeonModel.Sdot(V<int>(a[0]), V<sbyte>(a[1]), V<sbyte>(a[2]), l)),
        ["vdotq_lane_s32"] = (a, l) => R(NeonModel.Sdot(V<int>(a[0]), V<sbyte>(a[1]), V<sbyte>(a[2]), l)),
        ["vdotq_u32"] = (a, _) => R(NeonModel.Udot(V<uint>(a[0]), V<byte>(a[1]), V<byte>(a[2]))),
        ["vdotq_laneq_u32"] = (a, l) => R(NeonModel.Udot(V<uint>(a[0]), V<byte>(a[1]), V<byte>(a[2]), l)),
        ["vdotq_lane_u32"] = (a, l) => R(NeonModel.Udot(V<uint>(a[0]), V<byte>(a[1]), V<byte>(a[2]), l)),
        // widening multiply(-accumulate), pairwise
        ["vmull_s8"] = (a, _) => R(AdvSimdModelIsa.Smull(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vmull_high_s8"] = (a, _) => R(AdvSimdModelIsa.Smull2(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vmlal_s8"] = (a, _) => R(NeonModel.Smlal(V<short>(a[0]), V<sbyte>(a[1]), V<sbyte>(a[2]), 0)),
        ["vmlal_high_s8"] = (a, _) => R(AdvSimdModelIsa.Smlal2(V<short>(a[0]), V<sbyte>(a[1]), V<sbyte>(a[2]))),
        ["vmull_s16"] = (a, _) => R(NeonModel.Smull(V<short>(a[0]), V<short>(a[1]), 0)),
        ["vmull_high_s16"] = (a, _) => R(NeonModel.Smull(V<short>(a[0]), V<short>(a[1]), 1)),
        ["vmlal_s16"] = (a, _) => R(NeonModel.Smlal(V<int>(a[0]), V<short>(a[1]), V<short>(a[2]), 0)),
        ["vmlal_high_s16"] = (a, _) => R(NeonModel.Smlal(V<int>(a[0]), V<short>(a[1]), V<short>(a[2]), 1)),
        ["vpadalq_s16"] = (a, _) => R(AdvSimdModelIsa.Sadalp(V<int>(a[0]), V<short>(a[1]))),
        ["vpadalq_s8"] = (a, _) => R(NeonModel.Sadalp(V<short>(a[0]), V<sbyte>(a[1]))),
        ["vpaddlq_s16"] = (a, _) => R(NeonModel.Saddlp(V<short>(a[0]))),
        ["vpaddlq_s8"] = (a, _) => R(NeonModel.Saddlp(V<sbyte>(a[0]))),
        ["vpaddq_s32"] = (a, _) => R(AdvSimdModelIsa.Addp(V<int>(a[0]), V<int>(a[1]))),
        ["vaddvq_s32"] = (a, _) => S(AdvSimdModelIsa.Addv(V<int>(a[0]))),
        ["vaddvq_s16"] = (a, _) => S(NeonModel.Addv(V<short>(a[0]))),
        ["vaddq_s32"] = (a, _) => R(AdvSimdModelIsa.Add(V<int>(a[0]), V<int>(a[1]))),
        // saturating / rounding
        ["vqaddq_s32"] = (a, _) => R(AdvSimdModelIsa.Sqadd(V<int>(a[0]), V<int>(a[1]))),
        ["vqaddq_s16"] = (a, _) => R(NeonModel.Sqadd(V<short>(a[0]), V<short>(a[1]))),
        ["vqaddq_s8"] = (a, _) => R(NeonModel.Sqadd(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vqrdmulhq_s32"] = (a, _) => R(AdvSimdModelIsa.Sqrdmulh(V<int>(a[0]), V<int>(a[1]))),
        ["vqrdmulhq_n_s32"] = (a, _) => R(AdvSimdModelIsa.Sqrdmulh(V<int>(a[0]), Dup<int>(a[1][0]))),
        ["vqrdmulhq_s16"] = (a, _) => R(NeonModel.Sqrdmulh(V<short>(a[0]), V<short>(a[1]))),
        ["vqrdmulhq_n_s16"] = (a, _) => R(NeonModel.Sqrdmulh(V<short>(a[0]), Dup<short>(a[1][0]))),
        ["vqdmulhq_s32"] = (a, _) => R(NeonModel.Sqdmulh(V<int>(a[0]), V<int>(a[1]))),
        ["vqdmulhq_s16"] = (a, _) => R(NeonModel.Sqdmulh(V<short>(a[0]), V<short>(a[1]))),
        ["vshlq_s32"] = (a, _) => R(AdvSimdModelIsa.Sshl(V<int>(a[0]), V<int>(a[1]))),
        ["vrshlq_s32"] = (a, _) => R(AdvSimdModelIsa.Srshl(V<int>(a[0]), V<int>(a[1]))),
        ["vrshlq_s16"] = (a, _) => R(NeonModel.Srshl(V<short>(a[0]), V<short>(a[1]))),
        ["vrshrq_n_s32"] = (a, n) => R(NeonModel.Srshr(V<int>(a[0]), n)),
        ["vrshrq_n_s16"] = (a, n) => R(NeonModel.Srshr(V<short>(a[0]), n)),
        // narrowing / widening moves
        ["vqmovn_s32"] = (a, _) => R(AdvSimdModelIsa.Sqxtn32(V<int>(a[0]), default), 4),
        ["vqmovn_high_s32"] = (a, _) => [.. a[0], .. R(AdvSimdModelIsa.Sqxtn32(V<int>(a[1]), default), 4)],
        ["vqmovn_s16"] = (a, _) => R(AdvSimdModelIsa.Sqxtn16(V<short>(a[0]), default), 8),
        ["vqmovn_high_s16"] = (a, _) => [.. a[0], .. R(AdvSimdModelIsa.Sqxtn16(V<short>(a[1]), default), 8)],
        ["vqmovun_s16"] = (a, _) => R(NeonModel.Sqxtun(V<short>(a[0])), 8),
        ["vqmovun_s32"] = (a, _) => R(NeonModel.Sqxtun(V<int>(a[0])), 4),
        ["vmovl_s8"] = (a, _) => R(NeonModel.Sxtl(V<sbyte>(a[0]), 0)),
        ["vmovl_high_s8"] = (a, _) => R(NeonModel.Sxtl(V<sbyte>(a[0]), 1)),
        ["vmovl_s16"] = (a, _) => R(NeonModel.Sxtl(V<short>(a[0]), 0)),
        ["vmovl_high_s16"] = (a, _) => R(NeonModel.Sxtl(V<short>(a[0]), 1)),
        // min / max / abd
        ["vmaxq_s8"] = (a, _) => R(AdvSimdModelIsa.Smax(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vminq_s8"] = (a, _) => R(AdvSimdModelIsa.Smin(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vmaxq_s32"] = (a, _) => R(NeonModel.Smax(V<int>(a[0]), V<int>(a[1]))),
        ["vminq_s32"] = (a, _) => R(NeonModel.Smin(V<int>(a[0]), V<int>(a[1]))),
        ["vabdq_s8"] = (a, _) => R(NeonModel.Sabd(V<sbyte>(a[0]), V<sbyte>(a[1])).AsSByte()),
        // permutes
        ["vqtbl1q_u8"] = (a, _) => R(AdvSimdModelIsa.Tbl(V<byte>(a[0]), V<byte>(a[1]))),
        ["vqtbl1q_s8"] = (a, _) => R(AdvSimdModelIsa.Tbl(V<sbyte>(a[0]).AsByte(), V<byte>(a[1])).AsSByte()),
        ["vqtbl1_u8"] = (a, _) => R(AdvSimdModelIsa.Tbl(V<byte>(a[0]), V<byte>([.. a[1], .. Enumerable.Repeat(255L, 8)])), 8),
        ["vtbl1_u8"] = (a, _) => R(AdvSimdModelIsa.Tbl(V<byte>(a[0]), V<byte>([.. a[1], .. Enumerable.Repeat(255L, 8)])), 8),
        ["vtbl1_s8"] = (a, _) => R(AdvSimdModelIsa.Tbl(V<sbyte>(a[0]).AsByte(), V<sbyte>([.. a[1], .. Enumerable.Repeat(-1L, 8)]).AsByte()).AsSByte(), 8),
        ["vzip1q_s8"] = (a, _) => R(NeonModel.Zip1(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vuzp1q_s8"] = (a, _) => R(NeonModel.Uzp1(V<sbyte>(a[0]), V<sbyte>(a[1]))),
        ["vextq_s8"] = (a, n) => R(NeonModel.Ext(V<sbyte>(a[0]), V<sbyte>(a[1]), n)),
        ["vrev64q_s8"] = (a, _) => R(NeonModel.Rev64(V<sbyte>(a[0]))),
    };

    /// <summary>Intrinsics the model deliberately does not implement, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotImplemented = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["vrecpeq_f32"] = "FRECPE (8-bit estimate table) is not modelled: no kernel uses it (divisions use FDIV)",
        ["vrsqrteq_f32"] = "FRSQRTE is not modelled: no kernel uses it",
    };

    public static bool TryGet(string intrinsic, out Eval eval) => Table.TryGetValue(intrinsic, out eval!);
    public static IEnumerable<string> Implemented => Table.Keys;

    /// <summary>Every A64 instruction the NEON kernel paths execute (through <see cref="IIsa"/> and the
    /// fp32 <see cref="IFloatIsa{TV}"/> ops of <see cref="AdvSimdIsa"/>), with the vector files that check it.</summary>
    public static readonly UsedInstruction[] UsedInstructions =
    [
        new("FMLA Vd.4S (fused)", ["vfmaq_f32"], "GEMM/GEMV fp32, activations polynomials", ""),
        new("FMLA Vd.4S, Vm.S[lane]", ["vfmaq_laneq_f32", "vfmaq_lane_f32"], "IIsa.FmlaLane", ""),
        new("FADD/FSUB/FMUL/FDIV .4S", ["vaddq_f32", "vsubq_f32", "vmulq_f32", "vdivq_f32"], "activations, softmax", ""),
        new("FMAX/FMIN .4S", ["vmaxq_f32", "vminq_f32"], "relu, clamps, softmax max", ""),
        new("FABS .4S", ["vabsq_f32"], "tanh, gelu", ""),
        new("FADDP (sum across)", ["vaddvq_f32", "vpaddq_f32"], "GEMV reduction, softmax sum", ""),
        new("FCVTZS .4S", ["vcvtq_s32_f32"], "exp: 2^n construction", ""),
        new("FRINTN .4S", [], "exp range reduction (round to nearest even)", "no vrndnq_f32 vectors in neon-vectors; modelled as IEEE roundToIntegralTiesToEven"),
        new("FCMGT/FCMLT + BSL", [], "leaky relu, elu, gelu selects", "no vcltq_f32/vbslq_f32 vectors; bitwise select and IEEE compare"),
        new("SHL .4S #23, ADD .4S", ["vaddq_s32"], "exp: exponent field", "SHL has no vectors (vshlq_n_s32 absent); ADD verified"),
        new("SDOT Vd.4S, Vn.16B, Vm.16B", ["vdotq_s32"], "int8 GEMM/GEMV (ARMv8.2 dotprod)", ""),
        new("SMULL Vd.8H, Vn.8B, Vm.8B", ["vmull_s8"], "int8 GEMM/GEMV (ARMv8.0)", ""),
        new("SMULL2 Vd.8H, Vn.16B, Vm.16B", ["vmull_high_s8"], "int8 GEMM/GEMV (ARMv8.0)", ""),
        new("SMLAL2 Vd.8H, Vn.16B, Vm.16B", ["vmlal_high_s8"], "int8 GEMM/GEMV, symmetric weights", ""),
        new("SADALP Vd.4S, Vn.8H", ["vpadalq_s16"], "int8 GEMM/GEMV (ARMv8.0)", ""),
        new("ADDP Vd.4S", ["vpaddq_s32"], "int8 GEMM 4-column reduction", ""),
        new("ADDV Sd, Vn.4S", ["vaddvq_s32"], "int8 GEMM column tail", ""),
        new("ADD Vd.4S", ["vaddq_s32"], "int8 GEMM bias/offset", ""),
        new("SQRDMULH Vd.4S", ["vqrdmulhq_s32", "vqrdmulhq_n_s32"], "requantize (double rounding)", ""),
        new("SSHL Vd.4S", ["vshlq_s32"], "requantize left shift", ""),
        new("SRSHL Vd.4S", ["vrshlq_s32"], "requantize rounding right shift", ""),
        new("SQADD Vd.4S", ["vqaddq_s32"], "requantize fix-up and output offset", ""),
        new("AND Vd.16B", [], "requantize (double rounding) fix-up", "no vandq_s32 vectors; bitwise AND has no rounding/saturation corner"),
        new("SSHR Vd.4S, #31", [], "requantize fix-up sign mask", "no vshrq_n_s32 vectors; covered indirectly by the bit-exact requantize tests against the TFLite reference"),
        new("SMULL/SMULL2 Vd.2D (32→64)", [], "requantize (single rounding)", "no vmull_s32 vectors in neon-vectors (only the 8- and 16-bit forms)"),
        new("SRSHL Vd.2D", [], "requantize (single rounding)", "no vrshlq_s64 vectors; the same ShiftLane model as the verified .4S/.8H forms"),
        new("SQXTN Vd.2S/.4S from .2D", [], "requantize (single rounding)", "no vqmovn_s64 vectors; same saturation model as the verified .4S/.8H forms"),
        new("SQXTN/SQXTN2 .4H/.8H from .4S", ["vqmovn_s32", "vqmovn_high_s32"], "requantize narrow", ""),
        new("SQXTN/SQXTN2 .8B/.16B from .8H", ["vqmovn_s16", "vqmovn_high_s16"], "requantize narrow", ""),
        new("SMAX/SMIN .16B", ["vmaxq_s8", "vminq_s8"], "requantize activation clamp", ""),
        new("TBL Vd.16B", ["vqtbl1q_u8"], "IIsa.Tbl (int8 lookup tables)", ""),
    ];
}
