#!/usr/bin/env bash
# Fetch ONNX Runtime 1.30's native library from the npm package onnxruntime-node@1.30.0 (it ships
# linux x64 and arm64 builds) into artifacts/onnxruntime/linux-<arch>/libonnxruntime.so.1, for
# `edgert bench MODEL.onnx --vs onnxruntime`. Works the same on a board (arm64).
# usage: tools/fetch-onnxruntime.sh [x64|arm64]   (default: this machine's architecture)
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-}"
if [ -z "$arch" ]; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;; esac
fi
dest="artifacts/onnxruntime/linux-$arch"
if [ -f "$dest/libonnxruntime.so.1" ]; then echo "$dest/libonnxruntime.so.1 (already there)"; exit 0; fi
command -v npm >/dev/null || { echo "npm is needed to fetch onnxruntime-node@1.30.0 (apt-get install npm)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent onnxruntime-node@1.30.0 >/dev/null)
mkdir -p "$dest"
tar -xzf "$tmp"/onnxruntime-node-1.30.0.tgz -C "$tmp" "package/bin/napi-v6/linux/$arch/libonnxruntime.so.1"
mv "$tmp/package/bin/napi-v6/linux/$arch/libonnxruntime.so.1" "$dest/"
echo "$dest/libonnxruntime.so.1"
