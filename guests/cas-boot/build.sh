#!/usr/bin/env bash
# Build the cas-boot guest: guests/cas-boot/{start.S,cas-boot.c}
#   -> public/guests/cas-boot.elf (or $1)
exec "$(dirname "${BASH_SOURCE[0]}")/../build-c-guest.sh" cas-boot cas-boot.c -Os "$@" -- -n
