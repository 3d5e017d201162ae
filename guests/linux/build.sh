#!/usr/bin/env bash
# Build the Linux guest: a minimal pseries kernel (Debian's linux-source-6.1,
# allnoconfig + guests/linux/mini.config) and an initramfs holding guests/linux/init.c.
#   -> public/guests/linux/vmlinux.gz (stripped ELF) and initramfs.cpio.gz
#
# Needs (Debian): linux-source-6.1 gcc-powerpc64le-linux-gnu flex bison bc gcc
# Work tree: .cache/linux (kept between builds). Takes 2-3 minutes on 2 cores.
# The output is deterministic: fixed build user, host, timestamp and version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/public/guests/linux"
work="$root/.cache/linux"
src_tar=/usr/src/linux-source-6.1.tar.xz
CROSS=powerpc64le-linux-gnu-
for tool in ${CROSS}gcc flex bison bc cc; do
  command -v "$tool" >/dev/null || { echo "guests/linux/build.sh: missing $tool (apt-get install -y linux-source-6.1 gcc-powerpc64le-linux-gnu flex bison bc gcc)" >&2; exit 2; }
done
[ -f "$src_tar" ] || { echo "guests/linux/build.sh: missing $src_tar (apt-get install -y linux-source-6.1)" >&2; exit 2; }
mkdir -p "$work" "$out"
if [ ! -d "$work/src" ]; then
  echo "extracting $src_tar"
  mkdir -p "$work/src.tmp"
  tar -xf "$src_tar" -C "$work/src.tmp" --strip-components=1
  mv "$work/src.tmp" "$work/src"
fi
export KBUILD_BUILD_USER=pseries-lab KBUILD_BUILD_HOST=pseries-lab \
  KBUILD_BUILD_TIMESTAMP='Mon Nov 23 00:00:00 UTC 2026' KBUILD_BUILD_VERSION=1
mk=(make -s -C "$work/src" ARCH=powerpc CROSS_COMPILE=$CROSS O="$work/build")
"${mk[@]}" KCONFIG_ALLCONFIG="$here/mini.config" allnoconfig
# Every line of the fragment must have taken: a silently dropped option changes the guest.
missing=0
while IFS= read -r l; do
  case "$l" in
    CONFIG_*) grep -qxF "$l" "$work/build/.config" || { echo "config: $l did not take" >&2; missing=1; } ;;
    "# CONFIG_"*" is not set") sym="${l#\# }"; sym="${sym%% *}"
      if grep -q "^$sym=" "$work/build/.config"; then echo "config: $sym is set" >&2; missing=1; fi ;;
  esac
done < "$here/mini.config"
[ $missing = 0 ] || exit 1
"${mk[@]}" -j"$(nproc)" vmlinux
cc -O2 -o "$work/gen_init_cpio" "$work/src/usr/gen_init_cpio.c"
${CROSS}strip -o "$work/vmlinux.stripped" "$work/build/vmlinux"

# /init: freestanding, static, position dependent; no libc.
CF=(-O2 -mcpu=power8 -mno-altivec -mno-vsx -msoft-float -ffreestanding -fno-builtin -nostdlib -static
  -fno-stack-protector -fno-asynchronous-unwind-tables -fno-pie -no-pie -fno-ident -g0
  -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-e,_start)
${CROSS}gcc "${CF[@]}" -Wa,-mregnames -o "$work/init" "$here/start.S" "$here/init.c"
${CROSS}strip "$work/init"
touch -d @0 "$work/init"  # gen_init_cpio stores a file's own mtime (-t covers the rest)
(cd "$work" && "$work/gen_init_cpio" -t 0 "$here/initramfs.list" > "$work/initramfs.cpio")

gzip -9 -n -c "$work/vmlinux.stripped" > "$out/vmlinux.gz"
gzip -9 -n -c "$work/initramfs.cpio" > "$out/initramfs.cpio.gz"
ls -l "$out"
