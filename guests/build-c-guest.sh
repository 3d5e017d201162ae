#!/usr/bin/env bash
# Build a freestanding C test guest: guests/<name>/{start.S,<c file>} + guests/common
#   -> public/guests/<name>.elf (or OUT)
# usage: build-c-guest.sh NAME CFILE OPT [OUT] [-- extra ld flags]
# (linked with guests/common/link.ld)
# Needs gcc-powerpc64le-linux-gnu (compiles big-endian with -mbig-endian) and PowerPC64
# binutils. The output is deterministic (no build id, no paths).
set -euo pipefail
name="$1"; cfile="$2"; opt="$3"; shift 3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/public/guests/$name.elf"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then out="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
ldextra=("$@")
CC=powerpc64le-linux-gnu-gcc
if command -v powerpc64-linux-gnu-ld >/dev/null 2>&1; then LD=powerpc64-linux-gnu-ld; else LD=powerpc64le-linux-gnu-ld; fi
command -v "$CC" >/dev/null || { echo "build-c-guest.sh: install gcc-powerpc64le-linux-gnu" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root/guests/$name"
CFLAGS=(-mbig-endian -mabi=elfv2 -mcpu=power8 -m64 "$opt" -ffreestanding -fno-builtin -nostdlib
  -msoft-float -mno-altivec -mno-vsx -fno-stack-protector -fno-asynchronous-unwind-tables
  -fno-pic -fno-pie -mcmodel=medium -fno-ident -g0)
"$CC" "${CFLAGS[@]}" -c -o "$tmp/start.o" start.S -Wa,-mregnames
"$CC" "${CFLAGS[@]}" -c -o "$tmp/main.o" "$cfile"
"$LD" -EB -m elf64ppc --build-id=none -nostdlib -static -z noexecstack -z max-page-size=0x1000 "${ldextra[@]}" \
  --no-warn-rwx-segments -T ../common/link.ld -o "$tmp/guest.elf" "$tmp/start.o" "$tmp/main.o"
mkdir -p "$(dirname "$out")"
cp "$tmp/guest.elf" "$out"
echo "built $out ($(wc -c <"$out") bytes)"
