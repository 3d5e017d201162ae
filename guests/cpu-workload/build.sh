#!/usr/bin/env bash
# Build the cpu-workload guest: guests/cpu-workload/{start.S,workload.c}
#   -> public/guests/cpu-workload.elf (or $1)
exec "$(dirname "${BASH_SOURCE[0]}")/../build-c-guest.sh" cpu-workload workload.c -O2 "$@"
