#!/usr/bin/env bash
# Regenerates the C# ONNX protobuf classes (src/EdgeRuntime/Import/Onnx/Generated/Onnx.cs) from
# onnx.proto with protoc. Needs Debian's protobuf-compiler (protoc 3.21) and an onnx.proto
# (python3-onnx ships /usr/lib/python3/dist-packages/onnx/onnx.proto; pass another with ONNX_PROTO=...).
# The classes are generated `internal` in namespace EdgeRuntime.Import.Onnx.Proto; parsing through
# Google.Protobuf's generated code is reflection-free, so it stays NativeAOT/trim clean.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
proto="${ONNX_PROTO:-}"
if [[ -z "$proto" ]]; then
  for c in /usr/lib/python3/dist-packages/onnx/onnx.proto /usr/include/onnx/onnx.proto /usr/include/onnx/onnx-ml.proto; do
    [[ -f "$c" ]] && { proto="$c"; break; }
  done
fi
[[ -n "$proto" && -f "$proto" ]] || { echo "onnx.proto not found: apt-get install python3-onnx (or set ONNX_PROTO=path)" >&2; exit 1; }
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# Same schema, plus the C# namespace option (inserted after the package line).
sed '/^package onnx;/a option csharp_namespace = "EdgeRuntime.Import.Onnx.Proto";' "$proto" > "$tmp/onnx.proto"
out="$here/src/EdgeRuntime/Import/Onnx/Generated"
mkdir -p "$out"
protoc --proto_path="$tmp" --csharp_out="$out" --csharp_opt=internal_access,file_extension=.g.cs "$tmp/onnx.proto"
# ToString() would reach Google.Protobuf's reflection-based JsonFormatter (a NativeAOT trim warning,
# IL2067); nothing here prints messages, so name the message type instead.
sed -i 's/return pb::JsonFormatter.ToDiagnosticString(this);/return Descriptor.FullName;/' "$out"/*.g.cs
echo "generated $(ls "$out") from $proto with $(protoc --version)"
