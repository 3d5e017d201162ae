#!/bin/sh
# Fetch Debian 12's own ppc64el kernel and busybox-static and build a busybox initramfs, into
# .cache/debian/ (vmlinux, initramfs.cpio). Used by `npm run -s bench -- debian`: the
# distribution's kernel and a real ppc64el userland on this machine and on QEMU 7.2.
# Needs root, apt and the Debian archive: adds the ppc64el architecture to dpkg (download only;
# nothing foreign is installed) and cpio.
set -e
cd "$(dirname "$0")/.."
OUT=.cache/debian
mkdir -p "$OUT/debs" "$OUT/root/bin" "$OUT/root/proc" "$OUT/root/sys" "$OUT/root/dev"
dpkg --print-foreign-architectures | grep -qx ppc64el || dpkg --add-architecture ppc64el
apt-get update -qq || true
command -v cpio >/dev/null || apt-get install -y -qq cpio
KPKG=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-powerpc64le$' | sort -V | tail -1 | cut -d' ' -f1)
[ -n "$KPKG" ] || { echo "no linux-image-6.1.0-*-powerpc64le in the archive" >&2; exit 1; }
cd "$OUT/debs"
apt-get download -qq "$KPKG:ppc64el" busybox-static:ppc64el 2>/dev/null
rm -rf x && mkdir x
for f in *.deb; do dpkg-deb -x "$f" x; done
cd ../../..
cp "$(ls $OUT/debs/x/boot/vmlinux-* | head -1)" "$OUT/vmlinux"
cp "$OUT/debs/x/bin/busybox" "$OUT/root/bin/busybox"
cat > "$OUT/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "busybox on $(uname -sr) ($(uname -m)), $(grep -c ^processor /proc/cpuinfo) CPU"
export PS1='debian# '
exec setsid cttyhack sh
INIT
chmod +x "$OUT/root/init"
(cd "$OUT/root" && find . | cpio -o -H newc --quiet) > "$OUT/initramfs.cpio"
echo "$KPKG: $OUT/vmlinux, $OUT/initramfs.cpio"
