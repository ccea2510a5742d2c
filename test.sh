#!/usr/bin/env bash
# The project's test command (README, .ci/run). Runs the whole suite on the installed .NET runtime,
# then the kernel tests again with each wider instruction set switched off, so every dispatch path
# (AVX-512, AVX2, Vector128, scalar) is exercised on this machine.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build EdgeRuntime.sln -c Release -nologo -v quiet
dotnet test EdgeRuntime.sln -c Release --no-build -nologo
for knob in DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0 DOTNET_EnableHWIntrinsic=0; do
  echo "== kernel tests with $knob"
  env "$knob" dotnet test tests/Kernels.Neon.Tests -c Release --no-build -nologo
done
