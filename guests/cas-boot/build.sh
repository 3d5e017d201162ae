#!/usr/bin/env bash
# Build the cas-boot guest: guests/cas-boot/{start.S,cas-boot.c}
#   -> public/guests/cas-boot.elf
# Needs gcc-powerpc64le-linux-gnu (compiles big-endian with -mbig-endian) and
# PowerPC64 binutils. The output is deterministic (no build id, no paths).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/public/guests/cas-boot.elf}"
CC=powerpc64le-linux-gnu-gcc
if command -v powerpc64-linux-gnu-ld >/dev/null 2>&1; then LD=powerpc64-linux-gnu-ld; else LD=powerpc64le-linux-gnu-ld; fi
command -v "$CC" >/dev/null || { echo "build.sh: install gcc-powerpc64le-linux-gnu" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
CFLAGS=(-mbig-endian -mabi=elfv2 -mcpu=power8 -m64 -Os -ffreestanding -fno-builtin -nostdlib
  -msoft-float -mno-altivec -mno-vsx -fno-stack-protector -fno-asynchronous-unwind-tables
  -fno-pic -fno-pie -mcmodel=medium -fno-ident -g0)
"$CC" "${CFLAGS[@]}" -c -o "$tmp/start.o" start.S -Wa,-mregnames
"$CC" "${CFLAGS[@]}" -c -o "$tmp/cas-boot.o" cas-boot.c
"$LD" -EB -m elf64ppc --build-id=none -nostdlib -static -z noexecstack -z max-page-size=0x1000 -n \
  --no-warn-rwx-segments -T link.ld -o "$tmp/cas-boot.elf" "$tmp/start.o" "$tmp/cas-boot.o"
mkdir -p "$(dirname "$out")"
cp "$tmp/cas-boot.elf" "$out"
echo "built $out ($(wc -c <"$out") bytes)"
