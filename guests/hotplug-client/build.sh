#!/usr/bin/env bash
# Build the hotplug-client test guest: guests/hotplug-client/{start.S,hotplug.c}
#   -> public/guests/hotplug-client.elf (or $1)
exec "$(dirname "${BASH_SOURCE[0]}")/../build-c-guest.sh" hotplug-client hotplug.c -O1 "$@"
