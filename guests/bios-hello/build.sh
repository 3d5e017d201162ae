#!/usr/bin/env bash
# Build the test firmware: guests/bios-hello/bios.S -> guests/bios-hello/bios-hello.bin (ends
# with RTAS power-off) and guests/bios-hello/bios-hello-osterm.bin (ends with ibm,os-term).
#
# Usage: guests/bios-hello/build.sh [OUTPUT-DIR]
#
# Needs GNU binutils for 64-bit PowerPC (binutils-powerpc64-linux-gnu, or the
# powerpc64le-linux-gnu ones used with -mbig / -EB). The output is deterministic.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
case "$out" in
  /*) ;;
  *) out="$PWD/$out" ;;
esac

for p in powerpc64-linux-gnu powerpc64le-linux-gnu; do
  if command -v $p-as >/dev/null 2>&1 && command -v $p-ld >/dev/null 2>&1 && command -v $p-objcopy >/dev/null 2>&1; then
    AS=($p-as -a64 -mbig); LD=($p-ld -EB -m elf64ppc); OBJCOPY=($p-objcopy); break
  fi
done
if [ -z "${AS+x}" ]; then
  echo "build.sh: no PowerPC64 cross binutils (install binutils-powerpc64-linux-gnu)" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
build() { # NAME [AS FLAGS...]
  local name="$1"; shift
  "${AS[@]}" -mpower8 -mregnames --strip-local-absolute "$@" -o "$tmp/$name.o" bios.S
  "${LD[@]}" --build-id=none -nostdlib -static -T link.ld -o "$tmp/$name.elf" "$tmp/$name.o"
  "${OBJCOPY[@]}" -O binary "$tmp/$name.elf" "$out/$name.bin"
  echo "built $out/$name.bin ($(wc -c <"$out/$name.bin") bytes)"
}
mkdir -p "$out"
build bios-hello
build bios-hello-osterm --defsym OS_TERM=1
