# The whole start.S of a C test guest that needs nothing more: the entry (entry.S), main(),
# the calls out (calls.S: hcall, the VOF client interface, RTAS), vof_entry and a 32 KiB stack.
# A guest's own start.S includes it (hotplug-client and cas-boot add to it instead).
#include "../common/entry.S"

        .section .text.start, "ax"
        .globl  _start
_start:
        guest_entry
        bl      main
        b       .

        .text
#include "../common/calls.S"

        .data
        .balign 8
vof_entry:
        .quad   0
        .bss
        .balign 16
        .space  0x8000
stack_top:
