#!/usr/bin/env bash
# Build the papr-services test guest: guests/papr-services/{start.S,papr.c}
#   -> public/guests/papr-services.elf
# Needs gcc-powerpc64le-linux-gnu (compiles big-endian with -mbig-endian) and
# PowerPC64 binutils. The output is deterministic (no build id, no paths).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/public/guests/papr-services.elf}"
CC=powerpc64le-linux-gnu-gcc
if command -v powerpc64-linux-gnu-ld >/dev/null 2>&1; then LD=powerpc64-linux-gnu-ld; else LD=powerpc64le-linux-gnu-ld; fi
command -v "$CC" >/dev/null || { echo "build.sh: install gcc-powerpc64le-linux-gnu" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
CFLAGS=(-mbig-endian -mabi=elfv2 -mcpu=power8 -m64 -O1 -ffreestanding -fno-builtin -nostdlib
  -msoft-float -mno-altivec -mno-vsx -fno-stack-protector -fno-asynchronous-unwind-tables
  -fno-pic -fno-pie -mcmodel=medium -fno-ident -g0)
"$CC" "${CFLAGS[@]}" -c -o "$tmp/start.o" start.S -Wa,-mregnames
"$CC" "${CFLAGS[@]}" -c -o "$tmp/papr.o" papr.c
"$LD" -EB -m elf64ppc --build-id=none -nostdlib -static -z noexecstack -z max-page-size=0x1000 \
  --no-warn-rwx-segments -T link.ld -o "$tmp/papr.elf" "$tmp/start.o" "$tmp/papr.o"
mkdir -p "$(dirname "$out")"
cp "$tmp/papr.elf" "$out"
echo "built $out ($(wc -c <"$out") bytes)"
