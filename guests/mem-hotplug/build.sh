#!/usr/bin/env bash
# Build the mem-hotplug test guest: guests/mem-hotplug/{start.S,memhp.c}
#   -> public/guests/mem-hotplug.elf (or $1)
exec "$(dirname "${BASH_SOURCE[0]}")/../build-c-guest.sh" mem-hotplug memhp.c -O1 "$@"
