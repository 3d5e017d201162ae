#!/usr/bin/env bash
# Build the papr-services test guest: guests/papr-services/{start.S,papr.c}
#   -> public/guests/papr-services.elf (or $1)
exec "$(dirname "${BASH_SOURCE[0]}")/../build-c-guest.sh" papr-services papr.c -O1 "$@"
