#!/usr/bin/env bash
# Build the bundled hello guest: guests/hello/hello.S -> public/guests/hello.elf
#
# Usage: guests/hello/build.sh [OUTPUT.elf]
#
# Needs GNU binutils for 64-bit PowerPC. Either Debian package works:
#   binutils-powerpc64-linux-gnu     (big-endian by default; preferred)
#   binutils-powerpc64le-linux-gnu   (used with -mbig / -EB)
# The output is deterministic: no build id, no timestamps, no paths.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/public/guests/hello.elf}"
case "$out" in
  /*) ;;
  *) out="$PWD/$out" ;;
esac

if command -v powerpc64-linux-gnu-as >/dev/null 2>&1 && command -v powerpc64-linux-gnu-ld >/dev/null 2>&1; then
  AS=(powerpc64-linux-gnu-as -a64 -mbig)
  LD=(powerpc64-linux-gnu-ld -EB -m elf64ppc)
elif command -v powerpc64le-linux-gnu-as >/dev/null 2>&1 && command -v powerpc64le-linux-gnu-ld >/dev/null 2>&1; then
  AS=(powerpc64le-linux-gnu-as -a64 -mbig)
  LD=(powerpc64le-linux-gnu-ld -EB -m elf64ppc)
else
  echo "build.sh: no PowerPC64 cross binutils found (powerpc64-linux-gnu-as/ld)." >&2
  echo "build.sh: install them with:  sudo apt-get install binutils-powerpc64-linux-gnu" >&2
  echo "build.sh: (binutils-powerpc64le-linux-gnu also works)" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Relative source names keep host paths out of the object.
cd "$here"
"${AS[@]}" -mpower8 -mregnames --strip-local-absolute ${HELLO_ASFLAGS:-} -o "$tmp/hello.o" hello.S
"${LD[@]}" --build-id=none -nostdlib -static -z noexecstack -z max-page-size=0x1000 -T hello.ld -o "$tmp/hello.elf" "$tmp/hello.o"

mkdir -p "$(dirname "$out")"
cp "$tmp/hello.elf" "$out"
echo "built $out ($(wc -c <"$out") bytes)"
