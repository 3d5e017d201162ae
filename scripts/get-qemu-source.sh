#!/bin/sh
# Fetch Debian's QEMU source package into .cache/qemu-src (gitignored), for QEMU's own
# migration tools: scripts/analyze-migration.py (the stream test runs it on our streams) and
# scripts/vmstate-static-checker.py (compares `cli dump-vmstate` outputs).
#
#   scripts/get-qemu-source.sh          # -> .cache/qemu-src/qemu-7.2+dfsg/
#   QEMU_SRC=/path/to/qemu npx vitest   # or point the tests at any unpacked QEMU tree
#
# `apt-get source` needs a deb-src entry. As root the script adds one (a copy of the
# configured Debian "deb" sources with Types: deb-src) and runs apt-get update; otherwise it
# says what to add. dpkg-source (package dpkg-dev) unpacks the package.
set -eu
cd "$(dirname "$0")/.."
dest=.cache/qemu-src

for d in "$dest"/qemu-7.2*; do
  if [ -f "$d/scripts/analyze-migration.py" ]; then
    echo "QEMU source already in $d"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: unpack QEMU 7.2's source anywhere and set QEMU_SRC to it" >&2
  exit 1
fi

have_deb_src() {
  grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

if ! have_deb_src; then
  if [ "$(id -u)" = 0 ]; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
    elif [ -f /etc/apt/sources.list ]; then
      grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/debian-src.list
    else
      echo "no Debian apt sources found to derive a deb-src entry from" >&2
      exit 1
    fi
    echo "added a deb-src entry; running apt-get update"
    apt-get update -qq
  else
    cat >&2 <<'MSG'
apt-get source needs a deb-src entry. As root, add one, e.g. for Debian 12:
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > /etc/apt/sources.list.d/debian-src.sources
  apt-get update
then run this script again (or set QEMU_SRC to an unpacked QEMU 7.2 tree).
MSG
    exit 1
  fi
fi

if ! command -v dpkg-source >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq dpkg-dev
  else
    echo "dpkg-source not found: install dpkg-dev (apt-get install dpkg-dev)" >&2
    exit 1
  fi
fi

mkdir -p "$dest"
cd "$dest"
apt-get source -qq qemu
for d in qemu-7.2* qemu-*; do
  if [ -f "$d/scripts/analyze-migration.py" ]; then
    echo "QEMU source in $dest/$d"
    exit 0
  fi
done
echo "apt-get source qemu did not leave a tree with scripts/analyze-migration.py in $dest" >&2
exit 1
