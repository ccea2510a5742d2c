#!/usr/bin/env bash
# The peer-comparison benchmarks (RTNeural bench set, NAM example models, ONNX Runtime side by side):
# writes bench/results/*.json and bench/results/summary.txt. Needs ../shared/conformance and, for the
# ONNX Runtime rows, tools/fetch-onnxruntime.sh. Build first: dotnet build src/EdgeRuntime -c Release.
set -u
cd "$(dirname "$0")/.."
E="${EDGERT:-dotnet src/EdgeRuntime/bin/Release/net9.0/edgert.dll}"
R=bench/results
mkdir -p $R
S=../shared/conformance
{
echo "# measured $(date -u +%FT%TZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) ($(nproc) cores), dotnet JIT (framework-dependent edgert.dll)"
for m in dense_1_8_8_1 gru8 gru16 gru32 gru64 lstm8 lstm16 lstm32 lstm64 conv8_k3_d124 conv16_k3_d124; do
  for b in 1 64; do
    printf "rtneural %-16s block %-3s " $m $b
    $E bench $S/rtneural/bench/models/$m.json --block $b --rate 48000 --iterations 50 --json $R/rtneural_${m}_b$b.json 2>/dev/null | grep -E "^rtf" || echo "(failed)"
  done
done
printf "rtneural full_model block 1 "; $E bench $S/rtneural/models/full_model.json --block 1 --rate 48000 --iterations 50 --json $R/rtneural_full_model_b1.json 2>/dev/null | grep -E "^rtf" || echo "(failed)"
for m in core/wavenet core/wavenet_a1_standard core/lstm core/A2 core/wavenet_a2_max core/wavenet_condition_dsp core/slimmable_container core/slimmable_wavenet trainer/wavenet_standard trainer/wavenet_minimal trainer/linear_1; do
  for b in 64 1; do
    n=$(basename $m)
    printf "nam %-26s block %-3s " $n $b
    $E bench $S/nam/models/$m.nam --block $b --rate 48000 --iterations 50 --json $R/nam_${n}_b$b.json 2>/dev/null | grep -E "^rtf" || echo "(failed)"
  done
done
for m in dense_64_256_256_10 gru_16_64_seq64 cnn_small_32x32; do
  echo "== ort $m"; $E bench bench/models/$m.onnx --vs onnxruntime --iterations 500 --json $R/ort_$m.json 2>/dev/null | grep -E "^(time|peer|ratio)"
done
} 2>&1 | tee $R/summary.txt
