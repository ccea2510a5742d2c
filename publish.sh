#!/usr/bin/env bash
# NativeAOT build of edgert into artifacts/<rid>/edgert.
#
#   ./publish.sh                                   host build (linux-x64: profile x64-v3 = AVX2+FMA)
#   ./publish.sh --profile x64-v4                  AVX-512 build (runs only on AVX-512 CPUs)
#   ./publish.sh --rid linux-arm64 --board pi4     Raspberry Pi 3/4 (ARMv8.0-A, SMLAL int8 path)
#   ./publish.sh --rid linux-arm64 --board pi5     Raspberry Pi 5 (ARMv8.2-A+dotprod+rdma, SDOT path)
#
# Cross builds need: the NuGet packages runtime.linux-arm64.Microsoft.DotNet.ILCompiler and
# Microsoft.NETCore.App.Runtime.linux-arm64 (same version as the host ILCompiler), an arm64 sysroot
# (--sysroot DIR or EDGE_SYSROOT, default /opt/sysroots/arm64), clang + lld (or aarch64-linux-gnu-gcc)
# and llvm-objcopy (or aarch64-linux-gnu-objcopy). What is missing is named before anything is built.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

die() { echo "publish.sh: $*" >&2; exit 1; }
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

host_arch=$(uname -m)
case "$host_arch" in
  x86_64) host_rid=linux-x64 ;;
  aarch64|arm64) host_rid=linux-arm64 ;;
  *) die "unsupported host architecture $host_arch" ;;
esac

rid=$host_rid board="" profile="" sysroot="${EDGE_SYSROOT:-/opt/sysroots/arm64}" config=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rid=${2:?--rid needs a value}; shift 2 ;;
    --board) board=${2:?--board needs a value}; shift 2 ;;
    --profile) profile=${2:?--profile needs a value}; shift 2 ;;
    --sysroot) sysroot=${2:?--sysroot needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

case "$rid" in
  linux-x64)
    [ -z "$board" ] || die "--board is for --rid linux-arm64 (boards: pi3, pi4, pi5)"
    profile=${profile:-x64-v3} ;;
  linux-arm64)
    if [ -n "$board" ]; then
      [ -z "$profile" ] || [ "$profile" = "$board" ] || die "give --board or --profile, not both"
      profile=$board
    fi
    [ -n "$profile" ] || die "--rid linux-arm64 needs --board pi3|pi4|pi5 (the board's instruction-set profile)" ;;
  *) die "unsupported --rid '$rid' (linux-x64, linux-arm64)" ;;
esac
props="$root/toolchains/$profile.props"
[ -f "$props" ] || die "no toolchain profile '$profile' (have: $(cd toolchains && ls *.props | sed 's/\.props$//' | grep -v cross | tr '\n' ' '))"
case "$profile:$rid" in
  x64-*:linux-x64|pi*:linux-arm64) ;;
  *) die "profile '$profile' does not fit --rid $rid" ;;
esac
isa=$(sed -n 's:.*<IlcInstructionSet>\(.*\)</IlcInstructionSet>.*:\1:p' "$props")

# The ILCompiler version the SDK will use (the host package that is already restored).
nuget=${NUGET_PACKAGES:-$HOME/.nuget/packages}
ilc_version=$(ls "$nuget/microsoft.dotnet.ilcompiler" 2>/dev/null | grep '^9\.' | sort -V | tail -1 || true)

extra=()
if [ "$rid" != "$host_rid" ]; then
  missing=()
  for pkg in runtime.linux-arm64.microsoft.dotnet.ilcompiler microsoft.netcore.app.runtime.linux-arm64; do
    if [ -z "$ilc_version" ] || [ ! -d "$nuget/$pkg/$ilc_version" ]; then
      missing+=("NuGet package $pkg ${ilc_version:-9.0.x} (not in $nuget)")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    # One quick restore attempt: it succeeds only where nuget.org (or a mirror) is reachable.
    echo "publish.sh: trying a restore of the linux-arm64 packages (60 s at most)..."
    if timeout 60 dotnet restore src/EdgeRuntime -r "$rid" -nologo -v quiet >/dev/null 2>&1; then
      missing=()
      for pkg in runtime.linux-arm64.microsoft.dotnet.ilcompiler microsoft.netcore.app.runtime.linux-arm64; do
        [ -d "$nuget/$pkg/$ilc_version" ] || missing+=("NuGet package $pkg $ilc_version (not in $nuget)")
      done
    fi
  fi
  [ -d "$sysroot/usr/lib" ] && { [ -d "$sysroot/usr/lib/aarch64-linux-gnu" ] || [ -e "$sysroot/usr/lib/libc.so" ]; } \
    || missing+=("an arm64 sysroot at $sysroot (set --sysroot DIR or EDGE_SYSROOT)")
  cc="" linker=""
  if command -v clang >/dev/null || ls /usr/bin/clang-[0-9]* >/dev/null 2>&1; then
    cc=$(command -v clang || ls /usr/bin/clang-[0-9]* | sort -V | tail -1)
    if command -v ld.lld >/dev/null || ls /usr/bin/ld.lld-[0-9]* >/dev/null 2>&1; then linker=lld
    else missing+=("lld (the LLVM linker; clang found at $cc)"); fi
  elif command -v aarch64-linux-gnu-gcc >/dev/null; then
    cc=$(command -v aarch64-linux-gnu-gcc); linker=bfd
  else
    missing+=("a cross compiler/linker: clang + lld, or aarch64-linux-gnu-gcc")
  fi
  objcopy=$(command -v llvm-objcopy || command -v aarch64-linux-gnu-objcopy || true)
  [ -n "$objcopy" ] || missing+=("llvm-objcopy or aarch64-linux-gnu-objcopy (to strip symbols)")
  if [ ${#missing[@]} -gt 0 ]; then
    {
      echo "publish.sh: cannot build edgert for $rid ($profile: $isa). Missing:"
      for m in "${missing[@]}"; do echo "  - $m"; done
      cat <<HOW

How to get them (on a machine with full NuGet access, Debian/Ubuntu x64 host):
  dotnet restore src/EdgeRuntime -r linux-arm64      # fetches runtime.linux-arm64.Microsoft.DotNet.ILCompiler
                                                     # and Microsoft.NETCore.App.Runtime.linux-arm64 ${ilc_version:-9.0.x}
  sudo apt-get install clang lld llvm debootstrap qemu-user-static
  sudo debootstrap --arch=arm64 --variant=buildd --include=libc6-dev,libstdc++-12-dev,zlib1g-dev \\
       bookworm /opt/sysroots/arm64 http://deb.debian.org/debian
  ./publish.sh --rid linux-arm64 --board $profile [--sysroot /opt/sysroots/arm64]
(Offline: copy those two .nupkg files into a local feed, or unpack them into $nuget/<id>/<version>/.)
HOW
    } >&2
    exit 3
  fi
  extra+=(-p:CustomAfterMicrosoftCommonTargets="$root/toolchains/linux-arm64-cross.props"
          -p:EdgeSysRoot="$sysroot" -p:EdgeCc="$cc" -p:EdgeLinkerFlavor="$linker" -p:EdgeObjCopy="$objcopy"
          -p:IlcInstructionSet="$isa" -p:EdgeProfile="$profile")
else
  extra+=(-p:CustomAfterMicrosoftCommonTargets="$props")
fi

out="$root/artifacts/$rid"
rm -rf "$out"
mkdir -p "$out"
echo "publish.sh: edgert for $rid, profile $profile (IlcInstructionSet=$isa)"
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet publish src/EdgeRuntime/EdgeRuntime.csproj -c "$config" -r "$rid" --self-contained -nologo \
     -o "$out" "${extra[@]}" 2>&1 | tee "$log"; then
  die "dotnet publish failed (log above)"
fi
[ "${PIPESTATUS[0]}" = 0 ] || die "dotnet publish failed (log above)"
secs=$(( $(date +%s) - start ))
warnings=$(grep -E "warning (IL[0-9]{4}|CS[0-9]{4}|IL[23][0-9]{3})" "$log" | sort -u || true)
# Keep only the binary (and its profile note); debug symbols are stripped by StripSymbols.
find "$out" -mindepth 1 ! -name edgert -delete
printf 'rid=%s\nprofile=%s\nIlcInstructionSet=%s\n' "$rid" "$profile" "$isa" > "$out/edgert.profile"
bytes=$(stat -c %s "$out/edgert")
echo "publish.sh: $out/edgert  $bytes bytes ($(awk "BEGIN{printf \"%.1f\", $bytes/1048576}") MiB), built in ${secs} s"
if [ -n "$warnings" ]; then
  echo "publish.sh: build warnings:"; echo "$warnings"
else
  echo "publish.sh: no trimming/AOT warnings"
fi
